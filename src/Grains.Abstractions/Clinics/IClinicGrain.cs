using ClinicCluster.Common;

namespace ClinicCluster.Clinics;

/// <summary>A clinic (the tenant). Key: the clinic id.</summary>
public interface IClinicGrain : IClinicKeyedGrain
{
    /// <summary>Creates the clinic; a conflict if it already exists.</summary>
    Task<Result<Clinic>> CreateAsync(ClinicSettings settings);

    /// <summary>Replaces the clinic's settings.</summary>
    Task<Result<Clinic>> UpdateSettingsAsync(ClinicSettings settings);

    /// <summary>The clinic, or null when it does not exist.</summary>
    [ReadOnly]
    Task<Clinic?> GetAsync();

    /// <summary>Adds a provider and returns it with its new id.</summary>
    Task<Result<Provider>> AddProviderAsync(string providerId, ProviderProfile profile);

    /// <summary>Replaces a provider's profile (hours, time off).</summary>
    Task<Result<Provider>> UpdateProviderAsync(string providerId, ProviderProfile profile);

    /// <summary>The time zone, policy, visit type and provider profile needed to place a visit.</summary>
    [ReadOnly]
    Task<Result<SchedulingContext>> GetSchedulingContextAsync(string providerId, string appointmentType);
}
