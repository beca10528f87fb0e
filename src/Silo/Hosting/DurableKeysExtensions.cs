using ClinicCluster.Audit;
using ClinicCluster.Security;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Silo.Hosting;

/// <summary>The keys durable state depends on: present whenever state outlives the process.</summary>
internal static class DurableKeysExtensions
{
    /// <summary>
    /// A random in-process key with durable storage would leave every patient unreadable, and the
    /// audit chain unverifiable, after a restart.
    /// </summary>
    public static WebApplicationBuilder RequireDurableKeys(this WebApplicationBuilder builder, SiloOptions options)
    {
        foreach (var setting in new[] { SecurityServiceCollectionExtensions.KeyRingSetting, AuditChainOptions.ChainKeySetting })
        {
            if (options.Storage != StorageMode.Memory && string.IsNullOrWhiteSpace(builder.Configuration[setting]))
            {
                throw new OptionsValidationException(setting, typeof(EncryptionOptions),
                    [$"{setting} is required with Silo:Storage={options.Storage} (see docs/security.md)."]);
            }
        }

        return builder;
    }
}
