namespace ClinicCluster.Patients;

/// <summary>
/// A name index partition's decrypted entries, kept as one encrypted value so that the next
/// activation decrypts one value instead of one per patient (decision 0060). It is a cache, never
/// the truth: each entry carries the <see cref="PatientIndexStamp">stamp</see> of the stored row it was decrypted from,
/// and an activation takes from it only the rows whose stored value still has that stamp; every
/// other row is decrypted as before, and entries whose row is gone are dropped.
/// </summary>
public sealed record NameIndexSnapshot(IReadOnlyList<NameIndexSnapshotEntry> Entries)
{
    /// <summary>
    /// The snapshot of a partition holding <paramref name="held"/> (patient id to what memory
    /// holds), paired with <paramref name="rows"/> read from the store. Only a row whose patient is
    /// held and not <paramref name="changing"/> is taken: a write in flight may have stored a value
    /// that memory does not hold yet, and pairing that value's stamp with the old entry would
    /// revive the old name. A row read before a write that then finished pairs an old stamp with
    /// the new entry, which the next activation sees as changed and decrypts: the safe direction.
    /// </summary>
    public static NameIndexSnapshot Take(IReadOnlyList<PatientIndexStamp> rows, Func<string, PatientSummary?> held, IReadOnlySet<string> changing)
    {
        var entries = new List<NameIndexSnapshotEntry>(rows.Count);
        foreach (var row in rows)
        {
            if (held(row.Owner) is { } patient && !changing.Contains(row.Owner))
            {
                entries.Add(new NameIndexSnapshotEntry(row.Stamp, patient));
            }
        }

        return new NameIndexSnapshot(entries);
    }

    /// <summary>
    /// What an activation takes from the snapshot (<paramref name="snapshot"/> may be null) for the
    /// partition's <paramref name="rows"/>: the patients whose row is unchanged, and the rows to read and decrypt.
    /// </summary>
    public static NameIndexRestore Restore(NameIndexSnapshot? snapshot, IReadOnlyList<PatientIndexStamp> rows)
    {
        var cached = new Dictionary<string, NameIndexSnapshotEntry>(StringComparer.Ordinal);
        foreach (var entry in snapshot?.Entries ?? [])
        {
            cached.TryAdd(entry.Patient.Id, entry);
        }

        var reused = new List<PatientSummary>(rows.Count);
        var toDecrypt = new List<PatientIndexStamp>();
        foreach (var row in rows)
        {
            if (cached.TryGetValue(row.Owner, out var entry) && entry.Stamp == row.Stamp)
            {
                reused.Add(entry.Patient);
            }
            else
            {
                toDecrypt.Add(row);
            }
        }

        return new NameIndexRestore(reused, toDecrypt, (snapshot?.Entries.Count ?? 0) - reused.Count);
    }
}

/// <summary>One patient of a snapshot and the stamp of the stored row it came from.</summary>
public sealed record NameIndexSnapshotEntry(string Stamp, PatientSummary Patient);

/// <summary>
/// An activation's plan: the patients taken from the snapshot, the rows it must decrypt, and how
/// many snapshot entries no longer matched a row (<see cref="NameIndexSnapshot.Restore"/>).
/// </summary>
public sealed record NameIndexRestore(IReadOnlyList<PatientSummary> Reused, IReadOnlyList<PatientIndexStamp> ToDecrypt, int Stale);
