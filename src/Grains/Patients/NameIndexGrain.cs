namespace ClinicCluster.Patients;

/// <summary>
/// One partition of a clinic's name index. The sorted token set is rebuilt from state on
/// activation, so a prefix search is a range scan: O(log n + hits), not a pass over every patient.
/// </summary>
public sealed class NameIndexGrain(
    [PersistentState("names", StorageNames.Patients)] IPersistentState<NameIndexState> state) : Grain, INameIndexGrain
{
    // Ordinal order: the culture-aware default would not keep a prefix's tokens contiguous.
    private readonly SortedSet<(string Token, string PatientId)> _tokens = new(Comparer<(string Token, string PatientId)>.Create(
        static (a, b) => string.CompareOrdinal(a.Token, b.Token) is var c and not 0 ? c : string.CompareOrdinal(a.PatientId, b.PatientId)));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var patient in state.State.Patients.Values)
        {
            AddTokens(patient);
        }

        return base.OnActivateAsync(cancellationToken);
    }

    public async Task UpsertAsync(PatientSummary patient)
    {
        RemoveTokens(patient.Id);
        state.State.Patients[patient.Id] = patient;
        AddTokens(patient);
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(string patientId)
    {
        if (RemoveTokens(patientId))
        {
            state.State.Patients.Remove(patientId);
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<PatientSummary>> SearchAsync(string prefix, int limit)
    {
        var upper = prefix + char.MaxValue;
        IReadOnlyList<PatientSummary> hits = _tokens
            .GetViewBetween((prefix, ""), (upper, ""))
            .Select(t => t.PatientId)
            .Distinct()
            .Select(id => state.State.Patients[id])
            .OrderBy(p => NameTokens.SortKey(p.FamilyName), StringComparer.Ordinal)
            .ThenBy(p => NameTokens.SortKey(p.GivenName), StringComparer.Ordinal)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return Task.FromResult(hits);
    }

    private void AddTokens(PatientSummary patient)
    {
        var partition = this.GetPrimaryKeyString()[^1..];
        foreach (var token in NameTokens.Of(patient.GivenName, patient.FamilyName))
        {
            if (NameTokens.Partition(token) == partition)
            {
                _tokens.Add((token, patient.Id));
            }
        }
    }

    private bool RemoveTokens(string patientId)
    {
        if (!state.State.Patients.TryGetValue(patientId, out var previous))
        {
            return false;
        }

        foreach (var token in NameTokens.Of(previous.GivenName, previous.FamilyName))
        {
            _tokens.Remove((token, patientId));
        }

        return true;
    }
}
