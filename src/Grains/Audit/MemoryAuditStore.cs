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

    public Task<bool> AppendAsync(AuditEvent auditEvent)
    {
        lock (_lock)
        {
            if (!_eventIds.Add(auditEvent.EventId))
            {
                return Task.FromResult(false);
            }

            if (!_clinics.TryGetValue(auditEvent.ClinicId, out var records))
            {
                _clinics[auditEvent.ClinicId] = records = [];
            }

            var previous = records.Count == 0 ? AuditChain.Genesis : records[^1].Hash;
            var stored = auditEvent with { RecordedAt = AuditChain.ToMicroseconds(auditEvent.RecordedAt) };
            records.Add(AuditChain.Link(records.Count + 1, previous, stored, keys.Active));
            return Task.FromResult(true);
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
