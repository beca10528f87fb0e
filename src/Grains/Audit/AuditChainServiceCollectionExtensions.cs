using ClinicCluster.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Audit;

/// <summary>Registers the audit chain keys.</summary>
public static class AuditChainServiceCollectionExtensions
{
    // Without a chain key file (the in-memory development mode) every silo of this process shares
    // one random key, like the PHI key ring: the trail dies with the process anyway.
    private static readonly Lazy<KeyRing> ProcessRing = new(() => KeyRing.Ephemeral("ephemeral-chain"));

    public static IServiceCollection AddAuditChainKeys(this IServiceCollection services)
    {
        services.AddOptions<AuditChainOptions>()
            .BindConfiguration(AuditChainOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditChainOptions>>(new AuditChainOptionsValidator()));
        services.TryAddSingleton(sp => new AuditChainKeys(
            sp.GetRequiredService<IOptions<AuditChainOptions>>().Value.ChainKeyFile is { } file
                ? KeyRing.Load(file, AuditChainOptions.ChainKeySetting, requireIndexKey: false)
                : ProcessRing.Value));
        return services;
    }
}
