namespace ClinicCluster.Audit;

/// <summary>Checks shared by the audit stores' batch appends.</summary>
public static class AuditBatch
{
    /// <summary>The one clinic of a batch; a batch spanning clinics would interleave two chains' locks.</summary>
    public static string ClinicOf(IReadOnlyList<AuditEvent> events)
    {
        ArgumentOutOfRangeException.ThrowIfZero(events.Count);
        var clinic = events[0].ClinicId;
        for (var i = 1; i < events.Count; i++)
        {
            if (!string.Equals(events[i].ClinicId, clinic, StringComparison.Ordinal))
            {
                throw new ArgumentException("An audit batch holds the events of one clinic.", nameof(events));
            }
        }

        return clinic;
    }

    /// <summary>
    /// Chains the events whose ids were newly claimed onto the head, in batch order, each id once.
    /// The link itself is <see cref="AuditChain.Link"/> with the active chain key, computed per event.
    /// </summary>
    public static List<AuditRecord> Link(IReadOnlyList<AuditEvent> events, ISet<Guid> claimed, long headSequence, string headHash, AuditChainKey key)
    {
        var records = new List<AuditRecord>(claimed.Count);
        var (sequence, previous) = (headSequence, headHash);
        foreach (var auditEvent in events)
        {
            // Remove, so an event delivered twice inside one batch is linked once.
            if (!claimed.Remove(auditEvent.EventId))
            {
                continue;
            }

            var stored = auditEvent with { RecordedAt = AuditChain.ToMicroseconds(auditEvent.RecordedAt) };
            var record = AuditChain.Link(++sequence, previous, stored, key);
            records.Add(record);
            previous = record.Hash;
        }

        return records;
    }
}
