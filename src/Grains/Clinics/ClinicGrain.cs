using ClinicCluster.Common;

namespace ClinicCluster.Clinics;

/// <summary>A clinic's configuration: settings, visit types, booking policy and providers.</summary>
public sealed class ClinicGrain(
    [PersistentState("clinic", StorageNames.Clinics)] IPersistentState<ClinicState> state) : Grain, IClinicGrain
{
    public async Task<Result<Clinic>> CreateAsync(ClinicSettings settings)
    {
        if (state.State.Clinic is not null)
        {
            return Error.Conflict("clinic-exists", "A clinic with this id already exists.");
        }

        if (ClinicRules.Validate(settings).ToError() is { } invalid)
        {
            return invalid;
        }

        return await StoreAsync(new Clinic(this.GetPrimaryKeyString(), settings, []));
    }

    public async Task<Result<Clinic>> UpdateSettingsAsync(ClinicSettings settings)
    {
        if (state.State.Clinic is not { } clinic)
        {
            return Error.NotFound("Clinic");
        }

        if (ClinicRules.Validate(settings).ToError() is { } invalid)
        {
            return invalid;
        }

        return await StoreAsync(clinic with { Settings = settings });
    }

    public Task<Clinic?> GetAsync() => Task.FromResult(state.State.Clinic);

    public async Task<Result<Provider>> AddProviderAsync(string providerId, ProviderProfile profile)
    {
        if (state.State.Clinic is not { } clinic)
        {
            return Error.NotFound("Clinic");
        }

        if (ClinicRules.Validate(profile).ToError() is { } invalid)
        {
            return invalid;
        }

        if (clinic.Providers.Any(p => p.Id == providerId))
        {
            return Error.Conflict("provider-exists", "A provider with this id already exists.");
        }

        var provider = new Provider(providerId, Normalize(profile));
        await StoreAsync(clinic with { Providers = [.. clinic.Providers, provider] });
        return provider;
    }

    public async Task<Result<Provider>> UpdateProviderAsync(string providerId, ProviderProfile profile)
    {
        if (state.State.Clinic is not { } clinic)
        {
            return Error.NotFound("Clinic");
        }

        if (!clinic.Providers.Any(p => p.Id == providerId))
        {
            return Error.NotFound("Provider");
        }

        if (ClinicRules.Validate(profile).ToError() is { } invalid)
        {
            return invalid;
        }

        var provider = new Provider(providerId, Normalize(profile));
        await StoreAsync(clinic with { Providers = [.. clinic.Providers.Select(p => p.Id == providerId ? provider : p)] });
        return provider;
    }

    public Task<Result<SchedulingContext>> GetSchedulingContextAsync(string providerId, string appointmentType)
    {
        Result<SchedulingContext> result = Resolve();
        return Task.FromResult(result);

        Result<SchedulingContext> Resolve()
        {
            if (state.State.Clinic is not { } clinic)
            {
                return Error.NotFound("Clinic");
            }

            if (clinic.Providers.FirstOrDefault(p => p.Id == providerId) is not { } provider)
            {
                return Error.NotFound("Provider");
            }

            var type = clinic.Settings.AppointmentTypes
                .FirstOrDefault(t => string.Equals(t.Name, appointmentType, StringComparison.OrdinalIgnoreCase));
            return type is null
                ? Error.Validation("appointmentType", "The clinic offers no appointment type with this name.")
                : new SchedulingContext(clinic.Settings.TimeZone, clinic.Settings.Policy, type, provider.Profile);
        }
    }

    private static ProviderProfile Normalize(ProviderProfile profile) =>
        profile with { WorkingHours = profile.WorkingHours ?? [], TimeOff = profile.TimeOff ?? [] };

    private async Task<Clinic> StoreAsync(Clinic clinic)
    {
        state.State.Clinic = clinic;
        await state.WriteStateAsync();
        return clinic;
    }
}
