using ClinicCluster.Security;
using Microsoft.Extensions.Configuration;
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

    public static IServiceCollection AddAuditChainKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditChainOptions>()
            .Bind(configuration.GetSection(AuditChainOptions.SectionName))
            .Validate(o => o.ChainKeyFile is null || File.Exists(o.ChainKeyFile), $"{AuditChainOptions.ChainKeySetting}: the file does not exist.")
            .Validate(o => o.CheckpointInterval > TimeSpan.Zero, "Audit:CheckpointInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(sp => new AuditChainKeys(
            sp.GetRequiredService<IOptions<AuditChainOptions>>().Value.ChainKeyFile is { } file
                ? KeyRing.Load(file, AuditChainOptions.ChainKeySetting, requireIndexKey: false)
                : ProcessRing.Value));
        return services;
    }
}
