using Microsoft.Extensions.Options;

namespace ClinicCluster.Audit;

/// <summary>
/// The rules of <see cref="AuditChainOptions"/>: a named chain key file exists, checkpoints come at
/// a positive interval, and where the caller needs the key (durable storage, <c>audit verify</c>) it
/// is named at all. Registered by <see cref="AuditChainServiceCollectionExtensions.AddAuditChainKeys"/>
/// and passed to <c>ConfiguredOptions.Read</c> where the key is needed while a host is built.
/// </summary>
/// <param name="requiredBecause">Null: the key may be left unset (an ephemeral key). Else the end of the
/// "is required" sentence.</param>
public sealed class AuditChainOptionsValidator(string? requiredBecause = null) : IValidateOptions<AuditChainOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditChainOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ChainKeyFile))
        {
            if (requiredBecause is not null)
            {
                failures.Add($"{AuditChainOptions.ChainKeySetting} is required{requiredBecause}.");
            }
        }
        else if (!File.Exists(options.ChainKeyFile))
        {
            failures.Add($"{AuditChainOptions.ChainKeySetting}: the file does not exist.");
        }

        if (options.CheckpointInterval <= TimeSpan.Zero)
        {
            failures.Add("Audit:CheckpointInterval must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
