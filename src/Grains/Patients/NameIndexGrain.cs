using ClinicCluster.Security;

namespace ClinicCluster.Patients;

/// <summary>
/// One partition of a clinic's name index. Stored, it is encrypted search hits by patient id; the
/// sorted token set and the decrypted hits are rebuilt in memory on activation, so a prefix search
/// is a range scan (O(log n + hits)) and no name or token ever reaches storage.
/// </summary>
public sealed class NameIndexGrain(
    [PersistentState("names", StorageNames.Patients)] IPersistentState<NameIndexState> state,
    IPhiProtector protector,
    PatientIndexKeys keys) : Grain, INameIndexGrain
{
    private readonly Dictionary<string, PatientSummary> _patients = new(StringComparer.Ordinal);

    // Ordinal order: the culture-aware default would not keep a prefix's tokens contiguous.
    private readonly SortedSet<(string Token, string PatientId)> _tokens = new(Comparer<(string Token, string PatientId)>.Create(
        static (a, b) => string.CompareOrdinal(a.Token, b.Token) is var c and not 0 ? c : string.CompareOrdinal(a.PatientId, b.PatientId)));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var clinicId = Common.ClinicScopedKey.Parse(this.GetPrimaryKeyString()).ClinicId;
        foreach (var (id, protectedSummary) in state.State.Patients)
        {
            var patient = await protector.UnprotectAsync<PatientSummary>(protectedSummary, PhiField.NameIndexEntry(clinicId, id), cancellationToken);
            _patients[id] = patient;
            AddTokens(patient);
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public async Task UpsertAsync(PatientSummary patient)
    {
        RemoveTokens(patient.Id);
        state.State.Patients[patient.Id] = await protector.ProtectAsync(patient,
            PhiField.NameIndexEntry(Common.ClinicScopedKey.Parse(this.GetPrimaryKeyString()).ClinicId, patient.Id));
        _patients[patient.Id] = patient;
        AddTokens(patient);
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(string patientId)
    {
        if (RemoveTokens(patientId))
        {
            state.State.Patients.Remove(patientId);
            _patients.Remove(patientId);

            // An emptied partition (its generation moved off by a re-index) leaves no row behind.
            await (state.State.Patients.Count == 0 ? state.ClearStateAsync() : state.WriteStateAsync());
        }
    }

    public Task<IReadOnlyList<PatientSummary>> SearchAsync(string prefix, int limit)
    {
        var upper = prefix + char.MaxValue;
        IReadOnlyList<PatientSummary> hits = _tokens
            .GetViewBetween((prefix, ""), (upper, ""))
            .Select(t => t.PatientId)
            .Distinct()
            .Select(id => _patients[id])
            .OrderBy(p => NameTokens.SortKey(p.FamilyName), StringComparer.Ordinal)
            .ThenBy(p => NameTokens.SortKey(p.GivenName), StringComparer.Ordinal)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return Task.FromResult(hits);
    }

    private void AddTokens(PatientSummary patient)
    {
        var self = this.GetPrimaryKeyString();
        var clinicId = Common.ClinicScopedKey.Parse(self).ClinicId;
        foreach (var token in NameTokens.Of(patient.GivenName, patient.FamilyName))
        {
            if (keys.Name(PatientIndexKeys.GenerationOf(self), clinicId, token) == self)
            {
                _tokens.Add((token, patient.Id));
            }
        }
    }

    private bool RemoveTokens(string patientId)
    {
        if (!_patients.TryGetValue(patientId, out var previous))
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
