using ClinicCluster.Webhooks;

namespace ClinicCluster.Scheduling;

/// <summary>
/// One clinic's ledger in memory (the embedded default, which keeps nothing across restarts).
/// Orleans runs one call at a time here, so check-then-write is as atomic as PostgreSQL's
/// statement; a timer keeps the activation (and so the data) alive while the silo runs. A write's
/// webhook event is queued before the row is kept (decision 0046), as the trigger does in PostgreSQL.
/// </summary>
public sealed class MemoryLedgerGrain : Grain, IMemoryLedgerGrain
{
    private readonly Dictionary<string, LedgerRow> _rows = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(() => Task.CompletedTask, new GrainTimerCreationOptions(TimeSpan.FromHours(1), TimeSpan.FromHours(1)) { KeepAlive = true });
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<LedgerWrite> InsertAsync(LedgerRow row)
    {
        if (_rows.TryGetValue(row.AppointmentId, out var existing))
        {
            return Task.FromResult(LedgerWrite.Conflict(existing));
        }

        return WriteAsync(null, row with { Version = 1 });
    }

    public Task<LedgerWrite> UpdateAsync(LedgerRow row, long expectedVersion)
    {
        if (!_rows.TryGetValue(row.AppointmentId, out var existing) || existing.Version != expectedVersion)
        {
            return Task.FromResult(LedgerWrite.Conflict(existing));
        }

        // As in PostgreSQL: the due-soon notice belongs to the start it was given for.
        var noticed = row.Start == existing.Start ? existing.DueSoonNoticedAt : null;
        return WriteAsync(existing, row with { Version = expectedVersion + 1, DueSoonNoticedAt = noticed });
    }

    public Task<LedgerRow?> GetAsync(string appointmentId) => Task.FromResult(_rows.GetValueOrDefault(appointmentId));

    public Task<IReadOnlyList<LedgerRow>> QueryAsync(LedgerQuery query)
    {
        IReadOnlyList<LedgerRow> rows = _rows.Values.Where(query.Matches)
            .OrderBy(r => r.Start).ThenBy(r => r.AppointmentId, StringComparer.Ordinal)
            .Take(query.Limit)
            .ToList();
        return Task.FromResult(rows);
    }

    public Task<bool> MarkDueSoonNoticedAsync(string appointmentId, DateTimeOffset at)
    {
        if (!_rows.TryGetValue(appointmentId, out var row) || row.DueSoonNoticedAt is not null || row.Status != AppointmentStatus.Booked)
        {
            return Task.FromResult(false);
        }

        _rows[appointmentId] = row with { DueSoonNoticedAt = at };
        return Task.FromResult(true);
    }

    private async Task<LedgerWrite> WriteAsync(LedgerRow? before, LedgerRow row)
    {
        if (LedgerRules.Refuse(row, _rows.Values) is { } refused)
        {
            return refused;
        }

        // The event first: if queuing it fails, the row is not kept either (one "transaction").
        if (WebhookEvents.FromLedger(before, row) is { } change)
        {
            await GrainFactory.GetGrain<IMemoryWebhookOutboxGrain>(row.ClinicId).EnqueueAsync(change);
        }

        _rows[row.AppointmentId] = row;
        return LedgerWrite.Written(row);
    }
}
