namespace ClinicCluster.Audit;

/// <summary>
/// The embedded default's audit store: the silo's memory, lost on restart like all of its state.
/// Each clinic's records are written by one grain activation, but reads may interleave, so a lock.
/// </summary>
public sealed class MemoryAuditStore(AuditChainKeys keys) : IAuditStore
{
    private readonly Dictionary<string, List<AuditRecord>> _clinics = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _eventIds = [];
    private readonly Lock _lock = new();

    public async Task<bool> AppendAsync(AuditEvent auditEvent) =>
        (await AppendBatchAsync([auditEvent])).Count == 1;

    public Task<IReadOnlyList<AuditRecord>> AppendBatchAsync(IReadOnlyList<AuditEvent> events)
    {
        var clinic = AuditBatch.ClinicOf(events);
        lock (_lock)
        {
            var claimed = events.Select(e => e.EventId).Where(_eventIds.Add).ToHashSet();
            if (!_clinics.TryGetValue(clinic, out var records))
            {
                _clinics[clinic] = records = [];
            }

            var head = records.Count == 0 ? AuditChain.Genesis : records[^1].Hash;
            var added = AuditBatch.Link(events, claimed, records.Count, head, keys.Active);
            records.AddRange(added);
            return Task.FromResult<IReadOnlyList<AuditRecord>>(added);
        }
    }

    public Task<IReadOnlyList<AuditRecord>> QueryAsync(string clinicId, AuditQuery query)
    {
        lock (_lock)
        {
            IReadOnlyList<AuditRecord> page = _clinics.GetValueOrDefault(clinicId, [])
                .Where(r => r.Sequence > query.AfterSequence)
                .Where(r => query.PatientId is null || r.Event.PatientId == query.PatientId
                    || r.Event.DisclosedPatientIds?.Contains(query.PatientId) == true)
                .Where(r => query.ActorSubject is null || r.Event.Actor.Subject == query.ActorSubject)
                .Where(r => query.From is null || r.Event.RecordedAt >= query.From)
                .Where(r => query.To is null || r.Event.RecordedAt < query.To)
                .Take(query.Limit)
                .ToList();
            return Task.FromResult(page);
        }
    }
}
