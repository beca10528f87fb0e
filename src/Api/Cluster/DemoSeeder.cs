using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Patients;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Cluster;

/// <summary>
/// Development only (Demo:Seed): creates the "demo" clinic with one provider and one fictitious
/// patient, so a newcomer can book at once. Idempotent: existing records are left alone.
/// </summary>
internal sealed partial class DemoSeeder(
    IGrainFactory grains, IOptions<DemoOptions> options, IHostEnvironment environment, ILogger<DemoSeeder> logger) : IHostedService
{
    public const string ClinicId = "demo";
    public const string ProviderId = "prv-demo";
    public const string PatientId = "pat-demo";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment() || !options.Value.Seed)
        {
            return;
        }

        var clinic = grains.GetGrain<IClinicGrain>(ClinicId);
        if (await clinic.GetAsync() is null)
        {
            await clinic.CreateAsync(new ClinicSettings(
                "Demo Family Practice",
                "America/New_York",
                [new AppointmentType("checkup", 30, 10), new AppointmentType("consult", 60, 15)],
                BookingPolicy.Default));
            var weekdays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };
            await clinic.AddProviderAsync(ProviderId, new ProviderProfile(
                "Dr. Demo Provider",
                "Family medicine",
                [.. weekdays.Select(d => new WorkingHours(d, new TimeOnly(9, 0), new TimeOnly(17, 0)))],
                []));
        }

        var patient = grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(ClinicId, PatientId));
        if (await patient.GetAsync() is null)
        {
            await patient.CreateAsync(new PatientDemographics(
                "DEMO-0001", "Alex", "Example", new DateOnly(1980, 1, 1), AdministrativeSex.Unknown));
        }

        LogSeeded(logger, ClinicId, ProviderId, PatientId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data ready: clinic {ClinicId}, provider {ProviderId}, patient {PatientId}")]
    private static partial void LogSeeded(ILogger logger, string clinicId, string providerId, string patientId);
}
