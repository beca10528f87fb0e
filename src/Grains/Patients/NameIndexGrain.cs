using System.Collections.Concurrent;
using ClinicCluster.Security;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.Patients;

/// <summary>
/// One partition of a clinic's name index (decision 0030). Stored, it is one row per patient in
/// <see cref="IPatientIndexStore"/> holding the encrypted search hit, so an upsert writes one small
/// row whatever the partition's size; the sorted tokens and decrypted hits (<see cref="NameIndex"/>)
/// are rebuilt in memory on activation, and no name or token ever reaches storage. A partition of
/// a large clinic also keeps a snapshot (decision 0060), so its activation decrypts only the rows
/// changed since. Reentrant: the store orders the writes, and each call changes the memory in one
/// turn after its row is written.
/// </summary>
[Reentrant]
public sealed partial class NameIndexGrain(
    [PersistentState("names", StorageNames.Patients)] IPersistentState<NameIndexState> legacy,
    IPatientIndexStore store,
    INameIndexSnapshotStore snapshots,
    NameIndexSnapshotGate snapshotGate,
    IPhiProtector protector,
    PatientIndexKeys keys,
    ILogger<NameIndexGrain> logger) : Grain, INameIndexGrain
{
    private readonly NameIndex _index = new();

    // Patients whose row is being written and whose memory is not yet updated (a snapshot skips them).
    private readonly Dictionary<string, int> _changing = new(StringComparer.Ordinal);

    // Whether each first character's tokens hash to this partition: one keyed hash per character,
    // not per token. Concurrent: a bulk load asks from every core.
    private readonly ConcurrentDictionary<char, bool> _ownsInitial = new();

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

        // With a snapshot, the rows' stamps say which entries it still holds, and only the others
        // are read whole; without one, every row is.
        var snapshot = await ReadSnapshotAsync(cancellationToken);
        IReadOnlyList<PatientIndexEntry> rows;
        var patients = new List<PatientSummary>();
        if (snapshot is null)
        {
            rows = await store.LoadAsync(_self);
        }
        else
        {
            var restore = NameIndexSnapshot.Restore(snapshot, await store.LoadStampsAsync(_self));
            patients.AddRange(restore.Reused);
            rows = restore.ToDecrypt.Count == 0 ? [] : await store.LoadAsync(_self, [.. restore.ToDecrypt.Select(r => r.Key)]);
            _unsnapshotted = restore.Stale;
        }

        foreach (var row in rows)
        {
            patients.Add(await protector.UnprotectAsync<PatientSummary>(row.Value, PhiField.NameIndexEntry(_clinicId, row.Owner), cancellationToken));
        }

        _index.Load(patients.Select(p => (p, OwnTokens(p))));
        _unsnapshotted += rows.Count;
        StartSnapshotTimer();
        await base.OnActivateAsync(cancellationToken);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A rolling update deactivates gracefully: the next silo then starts from a fresh snapshot.
        if (NameIndexSnapshotPolicy.OnDeactivation(_index.Count, _unsnapshotted))
        {
            await WriteSnapshotAsync();
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public async Task UpsertAsync(PatientSummary patient)
    {
        var value = await protector.ProtectAsync(patient, PhiField.NameIndexEntry(_clinicId, patient.Id));
        await WhileChangingAsync(patient.Id, () => store.PutAsync(_self, new PatientIndexEntry(patient.Id, patient.Id, value)));
        _index.Upsert(patient, OwnTokens(patient));
        Done(patient.Id);
    }

    public Task AddStoredAsync(PatientSummary patient)
    {
        // Activation may have loaded the row already: an upsert of the same patient is idempotent.
        _index.Upsert(patient, OwnTokens(patient));
        _unsnapshotted++;
        return Task.CompletedTask;
    }

    public async Task RemoveAsync(string patientId)
    {
        await WhileChangingAsync(patientId, () => store.RemoveAsync(_self, patientId, patientId));
        _index.Remove(patientId);
        Done(patientId);
    }

    public Task<IReadOnlyList<PatientSummary>> SearchAsync(string prefix, int limit) => Task.FromResult(_index.Search(prefix, limit));

    /// <summary>The patient's tokens that hash to this partition (the others live in sibling partitions).</summary>
    private IEnumerable<string> OwnTokens(PatientSummary patient) =>
        NameTokens.Of(patient.GivenName, patient.FamilyName).Where(Owns);

    private bool Owns(string token) =>
        _ownsInitial.GetOrAdd(token[0], static (_, state) => state.keys.Name(PatientIndexKeys.GenerationOf(state.self), state.clinic, state.token) == state.self,
            (keys, self: _self, clinic: _clinicId, token));

    /// <summary>
    /// Marks the patient as changing for the write. A write that failed may still have been stored
    /// (a commit whose answer was lost), so its mark stays: this activation never snapshots that
    /// patient, and the next one decrypts its row.
    /// </summary>
    private async Task WhileChangingAsync<T>(string patientId, Func<Task<T>> write)
    {
        _changing[patientId] = _changing.GetValueOrDefault(patientId) + 1;
        await write();
    }

    private void Done(string patientId)
    {
        _unsnapshotted++;
        if (_changing.TryGetValue(patientId, out var count) && count > 1)
        {
            _changing[patientId] = count - 1;
        }
        else
        {
            _changing.Remove(patientId);
        }
    }
}
