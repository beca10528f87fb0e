namespace ClinicCluster.Scheduling;

/// <summary>
/// The embedded default's ledger: each clinic's rows live in its <see cref="IMemoryLedgerGrain"/>,
/// so both storage modes share one write path and one set of rules.
/// </summary>
public sealed class MemoryAppointmentLedger(IGrainFactory grains) : IAppointmentLedger
{
    public Task<LedgerWrite> InsertAsync(LedgerRow row) => Clinic(row.ClinicId).InsertAsync(row);

    public Task<LedgerWrite> UpdateAsync(LedgerRow row, long expectedVersion) => Clinic(row.ClinicId).UpdateAsync(row, expectedVersion);

    public Task<LedgerRow?> GetAsync(string clinicId, string appointmentId) => Clinic(clinicId).GetAsync(appointmentId);

    public async Task<IReadOnlyList<AppointmentSummary>> ListByProviderAsync(string clinicId, string providerId, DateTimeOffset from, DateTimeOffset to) =>
        Summaries(await Clinic(clinicId).QueryAsync(new LedgerQuery(ProviderId: providerId, StartsFrom: from, StartsBefore: to)));

    public async Task<IReadOnlyList<AppointmentSummary>> ListByPatientAsync(string clinicId, string patientId, DateTimeOffset from, DateTimeOffset to) =>
        Summaries(await Clinic(clinicId).QueryAsync(new LedgerQuery(PatientId: patientId, StartsFrom: from, StartsBefore: to)));

    public async Task<IReadOnlyList<AppointmentSummary>> ListPageAsync(string clinicId, CalendarOwner owner, string ownerId, LedgerPage page) =>
        Summaries(await Clinic(clinicId).QueryAsync(new LedgerQuery(
            ProviderId: owner == CalendarOwner.Provider ? ownerId : null,
            PatientId: owner == CalendarOwner.Patient ? ownerId : null,
            StartsFrom: page.From,
            StartsBefore: page.To,
            Limit: page.Limit,
            AfterStart: page.After?.Start,
            AfterId: page.After?.AppointmentId)));

    public Task<IReadOnlyList<LedgerRow>> ActiveAsync(string clinicId, CalendarOwner owner, string ownerId) =>
        Clinic(clinicId).QueryAsync(owner == CalendarOwner.Provider
            ? new LedgerQuery(ProviderId: ownerId, ActiveOnly: true)
            : new LedgerQuery(PatientId: ownerId, ActiveOnly: true));

    public Task<IReadOnlyList<LedgerRow>> ActiveInClinicAsync(string clinicId) => Clinic(clinicId).QueryAsync(new LedgerQuery(ActiveOnly: true));

    public Task<IReadOnlyList<LedgerRow>> DueAsync(string clinicId, DateTimeOffset endedBefore, DateTimeOffset dueSoonBefore, int limit) =>
        Clinic(clinicId).QueryAsync(new LedgerQuery(DueEndedBefore: endedBefore, DueSoonBefore: dueSoonBefore, Limit: limit));

    public Task<IReadOnlyList<LedgerRow>> CheckedInBeforeAsync(string clinicId, DateTimeOffset startedBefore, int limit) =>
        Clinic(clinicId).QueryAsync(new LedgerQuery(StartsBefore: startedBefore, Limit: limit, Status: AppointmentStatus.CheckedIn));

    public Task<bool> MarkDueSoonNoticedAsync(string clinicId, string appointmentId, DateTimeOffset at) =>
        Clinic(clinicId).MarkDueSoonNoticedAsync(appointmentId, at);

    private IMemoryLedgerGrain Clinic(string clinicId) => grains.GetGrain<IMemoryLedgerGrain>(clinicId);

    private static List<AppointmentSummary> Summaries(IReadOnlyList<LedgerRow> rows) => rows.Select(r => r.ToSummary()).ToList();
}
