using System.Globalization;

namespace ClinicCluster.LoadGen;

/// <summary>
/// The reads of the data-scale benchmark (issue 21, scripts/bench-scale.sh), each against the clinic
/// of <c>--clinic-file</c> as it grows: MRN lookup, a provider's day, a patient's appointments, the
/// audit trail by patient and by time window, and a patient's accounting of disclosures.
/// </summary>
public sealed partial class Scenario
{
    // The audit window: the 24 hours before the run started, the same span at every size.
    private readonly DateTimeOffset _windowEnd = DateTimeOffset.UtcNow;

    private Task<int> MrnAsync(long i, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/patients?mrn={Uri.EscapeDataString(clinic.Mrns[(int)(i % clinic.Mrns.Count)])}",
            cancellationToken: cancellationToken);

    /// <summary>One of the next 7 days of a provider (the days the book runs fill first).</summary>
    private Task<int> ProviderDayAsync(long i, CancellationToken cancellationToken)
    {
        var day = _firstDay.AddDays((int)(i / clinic.Providers.Count % 7)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return api.SendAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/providers/{clinic.Providers[(int)(i % clinic.Providers.Count)]}/appointments?date={day}",
            cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The patients beyond the first <c>Providers.Count</c> (those the book runs pair with providers),
    /// so a list grows with the seeded data only, not with each size's booking run.
    /// </summary>
    private Task<int> PatientAppointmentsAsync(long i, CancellationToken cancellationToken)
    {
        var quiet = clinic.Patients.Count > clinic.Providers.Count ? clinic.Providers.Count : 0;
        var patient = clinic.Patients[quiet + (int)(i % (clinic.Patients.Count - quiet))];
        return api.SendAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/patients/{patient}/appointments", cancellationToken: cancellationToken);
    }

    private Task<int> AuditPatientAsync(long i, CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/audit/events?patientId={clinic.Patients[(int)(i % clinic.Patients.Count)]}&limit=100",
            cancellationToken: cancellationToken);

    private Task<int> AuditWindowAsync(CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/audit/events?from={Utc(_windowEnd.AddDays(-1))}&to={Utc(_windowEnd)}&limit=100",
            cancellationToken: cancellationToken);

    /// <summary>The whole accounting of disclosures of <c>--patient</c> (default: the clinic's first patient).</summary>
    private Task<int> DisclosuresAsync(CancellationToken cancellationToken) =>
        api.SendAsync(HttpMethod.Get, $"/api/clinics/{clinic.Id}/audit/patients/{options.Patient ?? clinic.Patients[0]}/disclosures",
            cancellationToken: cancellationToken, accept: "application/fhir+ndjson");

    /// <summary>seed: the clinic it created, for the runs that measure it (<see cref="SeededClinicFile"/>).</summary>
    public Task WriteClinicAsync(string path) => SeededClinicFile.WriteAsync(path, clinic);

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
