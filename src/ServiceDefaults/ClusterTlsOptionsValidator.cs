using Microsoft.Extensions.Options;

namespace ClinicCluster.ServiceDefaults;

/// <summary>
/// The rules of <see cref="ClusterTlsOptions"/>, which span fields: when TLS is on (explicitly, or
/// by default for a cluster reachable from other machines) the three files must exist and the
/// intervals be sane. Off, nothing is checked. Messages name the setting and the file, never what
/// a file holds.
/// </summary>
public sealed class ClusterTlsOptionsValidator(bool reachableFromOtherMachines) : IValidateOptions<ClusterTlsOptions>
{
    /// <summary>Whether <paramref name="options"/> turn TLS on for this host.</summary>
    public bool IsOn(ClusterTlsOptions options) => options.Enabled ?? reachableFromOtherMachines;

    public ValidateOptionsResult Validate(string? name, ClusterTlsOptions options)
    {
        if (!IsOn(options))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        Require(options.CertificateFile, nameof(options.CertificateFile), failures);
        Require(options.KeyFile, nameof(options.KeyFile), failures);
        Require(options.CaFile, nameof(options.CaFile), failures);
        if (options.HandshakeTimeout <= TimeSpan.Zero || options.HandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("ClusterTls:HandshakeTimeout must be between 00:00:00 and 00:05:00.");
        }

        if (options.ReloadInterval < TimeSpan.FromSeconds(1) || options.ReloadInterval > TimeSpan.FromHours(1))
        {
            failures.Add("ClusterTls:ReloadInterval must be between 00:00:01 and 01:00:00.");
        }

        if (failures.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        if (options.Enabled is null)
        {
            failures.Add("A cluster reachable from other machines (AdoNet clustering) uses mutual TLS; mount the certificates, or set ClusterTls:Enabled=false deliberately.");
        }

        // One sentence per problem, one failure: the operator reads them together.
        return ValidateOptionsResult.Fail(string.Join(" ", failures));
    }

    private static void Require(string? file, string name, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            failures.Add($"ClusterTls:{name} is required.");
        }
        else if (!File.Exists(file))
        {
            failures.Add($"ClusterTls:{name} '{file}' does not exist.");
        }
    }
}
