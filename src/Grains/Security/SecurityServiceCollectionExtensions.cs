using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Security;

/// <summary>Registers the PHI protector and its key ring.</summary>
public static class SecurityServiceCollectionExtensions
{
    public const string KeyRingSetting = "Encryption:KeyRingFile";

    // Without a key ring file (in-memory development mode), every silo of this process shares one
    // random ring: an in-process test cluster must agree on blind indexes across its silos.
    private static readonly Lazy<KeyRing> ProcessRing = new(() => KeyRing.Ephemeral());

    public static IServiceCollection AddPhiProtection(this IServiceCollection services)
    {
        services.AddOptions<EncryptionOptions>()
            .BindConfiguration(EncryptionOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EncryptionOptions>>(new EncryptionOptionsValidator()));

        // One ring per process, read once: a rotation is rolled out by restarting the silos.
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<EncryptionOptions>>().Value.KeyRingFile is { } file
            ? new PhiKeyRing(KeyRing.Load(file, KeyRingSetting, requireIndexKey: true))
            : new PhiKeyRing(ProcessRing.Value));
        services.TryAddSingleton<IKeyEncryptionKeyProvider>(sp => new LocalKeyRingProvider(sp.GetRequiredService<PhiKeyRing>().Ring));
        services.TryAddSingleton<IPhiProtector>(sp => new PhiProtector(
            sp.GetRequiredService<IKeyEncryptionKeyProvider>(), sp.GetRequiredService<PhiKeyRing>().Ring.IndexKeys!));
        services.TryAddSingleton<Patients.PatientIndexKeys>();
        return services;
    }
}

/// <summary>The PHI key ring, a type of its own so it is never confused with the audit chain's.</summary>
public sealed record PhiKeyRing(KeyRing Ring);
