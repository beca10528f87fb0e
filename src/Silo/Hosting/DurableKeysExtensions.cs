using ClinicCluster.Audit;
using ClinicCluster.Security;
using ClinicCluster.ServiceDefaults;

namespace ClinicCluster.Silo.Hosting;

/// <summary>The keys durable state depends on: present whenever state outlives the process.</summary>
internal static class DurableKeysExtensions
{
    /// <summary>
    /// A random in-process key with durable storage would leave every patient unreadable, and the
    /// audit chain unverifiable, after a restart. Checked while the host is built, with the rules the
    /// grains register (<see cref="EncryptionOptionsValidator"/>, <see cref="AuditChainOptionsValidator"/>),
    /// so the host stops before it opens PostgreSQL. Answers the audit settings the storage wiring needs.
    /// </summary>
    public static AuditChainOptions RequireDurableKeys(this WebApplicationBuilder builder, SiloOptions options)
    {
        var required = options.Storage == StorageMode.Memory ? null : $" with Silo:Storage={options.Storage} (see docs/security.md)";
        ConfiguredOptions.Read(builder.Configuration, EncryptionOptions.SectionName, validator: new EncryptionOptionsValidator(required));
        return ConfiguredOptions.Read(builder.Configuration, AuditChainOptions.SectionName, validator: new AuditChainOptionsValidator(required));
    }
}
