using Microsoft.Extensions.Options;

namespace ClinicCluster.Security;

/// <summary>
/// The rules of <see cref="EncryptionOptions"/>: a named key ring file exists; and where the caller
/// needs one (durable storage, the encryption commands) it is named at all. Registered by
/// <see cref="SecurityServiceCollectionExtensions.AddPhiProtection"/> and passed to
/// <c>ConfiguredOptions.Read</c> where the ring is needed while a host is built.
/// </summary>
/// <param name="requiredBecause">Null: the file may be left unset (an ephemeral ring). Else the end of the
/// "is required" sentence (" with Silo:Storage=Postgres (see docs/security.md)"), or "" for none.</param>
public sealed class EncryptionOptionsValidator(string? requiredBecause = null) : IValidateOptions<EncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, EncryptionOptions options) => options.KeyRingFile switch
    {
        null or "" when requiredBecause is not null =>
            ValidateOptionsResult.Fail($"{SecurityServiceCollectionExtensions.KeyRingSetting} is required{requiredBecause}."),
        { } file when !string.IsNullOrWhiteSpace(file) && !File.Exists(file) =>
            ValidateOptionsResult.Fail($"{SecurityServiceCollectionExtensions.KeyRingSetting}: the file does not exist."),
        _ => ValidateOptionsResult.Success,
    };
}
