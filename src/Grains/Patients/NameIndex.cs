namespace ClinicCluster.Patients;

/// <summary>
/// A name index partition in memory: for each name token, its patients kept in result order
/// (family name, given name, id, folded as search matches). A prefix search merges the lists of
/// the tokens in range and stops at the limit, so <c>limit=20</c> for "Smith" costs
/// O(tokens in range x log + limit), not a sort of every Smith (decision 0030).
/// </summary>
public sealed class NameIndex
{
    private static readonly Comparer<Entry> Order = Comparer<Entry>.Create(static (a, b) =>
        string.CompareOrdinal(a.FamilyKey, b.FamilyKey) is var f and not 0 ? f
        : string.CompareOrdinal(a.GivenKey, b.GivenKey) is var g and not 0 ? g
        : string.CompareOrdinal(a.Summary.Id, b.Summary.Id));

    private readonly Dictionary<string, (Entry Entry, string[] Tokens)> _patients = new(StringComparer.Ordinal);

    // Ordinal order: the culture-aware default would not keep a prefix's tokens contiguous.
    private readonly SortedSet<string> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<Entry>> _byToken = new(StringComparer.Ordinal);

    public int Count => _patients.Count;

    /// <summary>The patient as held, or null.</summary>
    public PatientSummary? Find(string patientId) => _patients.TryGetValue(patientId, out var held) ? held.Entry.Summary : null;

    /// <summary>
    /// Fills an empty index in one pass: each token's list is sorted once and built whole, and both
    /// the entries and the lists are built on every core, which at 100,000 patients costs a
    /// fraction of adding them one by one (an activation's path, decision 0060). The token
    /// sequences may be evaluated concurrently.
    /// </summary>
    public void Load(IEnumerable<(PatientSummary Patient, IEnumerable<string> Tokens)> patients)
    {
        if (_patients.Count > 0)
        {
            throw new InvalidOperationException("Only an empty name index is loaded in bulk.");
        }

        var items = patients.ToArray();
        var built = new (Entry Entry, string[] Tokens)[items.Length];
        Parallel.For(0, items.Length, i =>
        {
            var (patient, tokens) = items[i];
            built[i] = (new Entry(NameTokens.SortKey(patient.FamilyName), NameTokens.SortKey(patient.GivenName), patient), tokens.Distinct(StringComparer.Ordinal).ToArray());
        });

        var lists = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        foreach (var (entry, tokens) in built)
        {
            if (!_patients.TryAdd(entry.Summary.Id, (entry, tokens)))
            {
                throw new ArgumentException("A patient appears twice in a name index load.", nameof(patients));
            }

            foreach (var token in tokens)
            {
                if (!lists.TryGetValue(token, out var list))
                {
                    lists[token] = list = [];
                }

                list.Add(entry);
            }
        }

        var sorted = lists.ToArray();
        var sets = new SortedSet<Entry>[sorted.Length];
        Parallel.For(0, sorted.Length, i => sets[i] = new SortedSet<Entry>(sorted[i].Value, Order));
        for (var i = 0; i < sorted.Length; i++)
        {
            _byToken[sorted[i].Key] = sets[i];
            _tokens.Add(sorted[i].Key);
        }
    }

    /// <summary>Adds or replaces the patient under <paramref name="tokens"/> (the tokens this partition holds).</summary>
    public void Upsert(PatientSummary patient, IEnumerable<string> tokens)
    {
        Remove(patient.Id);
        var entry = new Entry(NameTokens.SortKey(patient.FamilyName), NameTokens.SortKey(patient.GivenName), patient);
        var distinct = tokens.Distinct(StringComparer.Ordinal).ToArray();
        foreach (var token in distinct)
        {
            if (!_byToken.TryGetValue(token, out var list))
            {
                _byToken[token] = list = new SortedSet<Entry>(Order);
                _tokens.Add(token);
            }

            list.Add(entry);
        }

        _patients[patient.Id] = (entry, distinct);
    }

    public bool Remove(string patientId)
    {
        if (!_patients.Remove(patientId, out var previous))
        {
            return false;
        }

        foreach (var token in previous.Tokens)
        {
            var list = _byToken[token];
            list.Remove(previous.Entry);
            if (list.Count == 0)
            {
                _byToken.Remove(token);
                _tokens.Remove(token);
            }
        }

        return true;
    }

    /// <summary>Up to <paramref name="limit"/> patients with a token starting with <paramref name="prefix"/>, in result order.</summary>
    public IReadOnlyList<PatientSummary> Search(string prefix, int limit)
    {
        var results = new List<PatientSummary>(Math.Min(limit, 64));
        if (limit <= 0 || _tokens.Count == 0)
        {
            return results;
        }

        // Each token's list is already in result order: a k-way merge yields the first hits without
        // looking at the rest. A patient under two tokens in range (given and family) comes out once.
        var heads = new PriorityQueue<IEnumerator<Entry>, Entry>(Order);
        foreach (var token in _tokens.GetViewBetween(prefix, prefix + char.MaxValue))
        {
            IEnumerator<Entry> cursor = _byToken[token].GetEnumerator();
            if (cursor.MoveNext())
            {
                heads.Enqueue(cursor, cursor.Current);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (results.Count < limit && heads.TryDequeue(out var cursor, out var entry))
        {
            if (seen.Add(entry.Summary.Id))
            {
                results.Add(entry.Summary);
            }

            if (cursor.MoveNext())
            {
                heads.Enqueue(cursor, cursor.Current);
            }
        }

        return results;
    }

    private sealed record Entry(string FamilyKey, string GivenKey, PatientSummary Summary);
}
