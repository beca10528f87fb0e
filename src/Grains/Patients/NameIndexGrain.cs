using ClinicCluster.Security;

namespace ClinicCluster.Patients;

/// <summary>
/// One partition of a clinic's name index (decision 0030). Stored, it is one row per patient in
/// <see cref="IPatientIndexStore"/> holding the encrypted search hit, so an upsert writes one small
/// row whatever the partition's size; the sorted tokens and decrypted hits (<see cref="NameIndex"/>)
/// are rebuilt in memory on activation, and no name or token ever reaches storage. Reentrant: the
/// store orders the writes, and each call changes the memory in one turn after its row is written.
/// </summary>
[Reentrant]
public sealed class NameIndexGrain(
    [PersistentState("names", StorageNames.Patients)] IPersistentState<NameIndexState> legacy,
    IPatientIndexStore store,
    IPhiProtector protector,
    PatientIndexKeys keys) : Grain, INameIndexGrain
{
    private readonly NameIndex _index = new();
    private string _self = "";
    private string _clinicId = "";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _self = this.GetPrimaryKeyString();
        _clinicId = Common.ClinicScopedKey.Parse(_self).ClinicId;

        // A partition written whole as grain state (before 0030) moves into the store once: rows
        // first, then the state is cleared, so a failure in between only repeats the move.
        if (legacy.State.Patients.Count > 0)
        {
            foreach (var (id, protectedSummary) in legacy.State.Patients)
            {
                await store.PutAsync(_self, new PatientIndexEntry(id, id, protectedSummary));
            }

            await legacy.ClearStateAsync();
        }

        foreach (var entry in await store.LoadAsync(_self))
        {
            var patient = await protector.UnprotectAsync<PatientSummary>(entry.Value, PhiField.NameIndexEntry(_clinicId, entry.Owner), cancellationToken);
            _index.Upsert(patient, OwnTokens(patient));
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public async Task UpsertAsync(PatientSummary patient)
    {
        var value = await protector.ProtectAsync(patient, PhiField.NameIndexEntry(_clinicId, patient.Id));
        await store.PutAsync(_self, new PatientIndexEntry(patient.Id, patient.Id, value));
        _index.Upsert(patient, OwnTokens(patient));
    }

    public Task AddStoredAsync(PatientSummary patient)
    {
        // Activation may have loaded the row already: an upsert of the same patient is idempotent.
        _index.Upsert(patient, OwnTokens(patient));
        return Task.CompletedTask;
    }

    public async Task RemoveAsync(string patientId)
    {
        await store.RemoveAsync(_self, patientId, patientId);
        _index.Remove(patientId);
    }

    public Task<IReadOnlyList<PatientSummary>> SearchAsync(string prefix, int limit) => Task.FromResult(_index.Search(prefix, limit));

    /// <summary>The patient's tokens that hash to this partition (the others live in sibling partitions).</summary>
    private IEnumerable<string> OwnTokens(PatientSummary patient) =>
        NameTokens.Of(patient.GivenName, patient.FamilyName).Where(t => keys.Name(PatientIndexKeys.GenerationOf(_self), _clinicId, t) == _self);
}
