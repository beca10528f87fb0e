namespace ClinicCluster.Scheduling;

/// <summary>
/// The embedded default's ledger of one clinic (key: the clinic id): the same statements as the
/// PostgreSQL ledger, kept in one grain so that every silo of a cluster sees one ledger.
/// </summary>
public interface IMemoryLedgerGrain : IGrainWithStringKey
{
    Task<LedgerWrite> InsertAsync(LedgerRow row);

    Task<LedgerWrite> UpdateAsync(LedgerRow row, long expectedVersion);

    [ReadOnly]
    Task<LedgerRow?> GetAsync(string appointmentId);

    /// <summary>Rows matching the filter, ordered by start then id.</summary>
    [ReadOnly]
    Task<IReadOnlyList<LedgerRow>> QueryAsync(LedgerQuery query);

    Task<bool> MarkDueSoonNoticedAsync(string appointmentId, DateTimeOffset at);
}

/// <summary>A filter over one clinic's rows; null members do not filter.</summary>
[GenerateSerializer, Immutable, Alias("cc.LedgerQuery")]
public sealed record LedgerQuery(
    [property: Id(0)] string? ProviderId = null,
    [property: Id(1)] string? PatientId = null,
    [property: Id(2)] DateTimeOffset? StartsFrom = null,
    [property: Id(3)] DateTimeOffset? StartsBefore = null,
    [property: Id(4)] bool ActiveOnly = false,
    [property: Id(5)] DateTimeOffset? DueEndedBefore = null,
    [property: Id(6)] DateTimeOffset? DueSoonBefore = null,
    [property: Id(7)] int Limit = int.MaxValue,
    [property: Id(8)] AppointmentStatus? Status = null,
    [property: Id(9)] DateTimeOffset? AfterStart = null,
    [property: Id(10)] string? AfterId = null)
{
    public bool Matches(LedgerRow row)
    {
        var due = DueEndedBefore is null || (row.Status == AppointmentStatus.Booked
            && (row.End < DueEndedBefore || (row.Start < DueSoonBefore && row.DueSoonNoticedAt is null)));
        return (ProviderId is null || row.ProviderId == ProviderId)
            && (PatientId is null || row.PatientId == PatientId)
            && (StartsFrom is null || row.Start >= StartsFrom)
            && (StartsBefore is null || row.Start < StartsBefore)
            && (!ActiveOnly || row.IsActive)
            && (Status is null || row.Status == Status)
            && (AfterStart is null || row.Start > AfterStart || (row.Start == AfterStart && string.CompareOrdinal(row.AppointmentId, AfterId) > 0))
            && due;
    }
}
