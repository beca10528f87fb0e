using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// A recurring series of appointments (decision 0045). Key: "{clinicId}/{seriesId}". Each
/// occurrence is an ordinary appointment in the ledger; the series keeps which ones it booked.
/// </summary>
public interface ISeriesGrain : IGrainWithStringKey
{
    /// <summary>
    /// Books the series. A second call with the same request answers the stored series; another
    /// request under the same id is refused (422).
    /// </summary>
    Task<Result<SeriesOutcome>> BookAsync(BookSeries request);

    /// <summary>The series, or null when none was booked under this id.</summary>
    Task<AppointmentSeries?> GetAsync();

    /// <summary>Cancels occurrence <paramref name="fromIndex"/> and every later booked one.</summary>
    Task<Result<AppointmentSeries>> CancelFromAsync(int fromIndex, string? reason, CancellationReasonCode? code);
}
