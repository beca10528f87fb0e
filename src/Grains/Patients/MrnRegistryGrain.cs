using ClinicCluster.Security;

namespace ClinicCluster.Patients;

/// <summary>
/// One partition of a clinic's MRN registry (decision 0030). Entries are rows of
/// <see cref="IPatientIndexStore"/> keyed by the MRN's blind index and holding the search hit
/// encrypted, so the stored partition reveals neither MRNs nor names, and a claim writes one row
/// whatever the clinic's size. The store's conditional insert decides a race for one MRN, so the
/// grain keeps nothing in memory and can take calls concurrently.
/// </summary>
[Reentrant]
public sealed class MrnRegistryGrain(
    [PersistentState("mrns", StorageNames.Patients)] IPersistentState<MrnRegistryState> legacy,
    IPatientIndexStore store,
    IPhiProtector protector,
    PatientIndexKeys keys) : Grain, IMrnRegistryGrain
{
    private string Self => this.GetPrimaryKeyString();

    private string ClinicId => Common.ClinicScopedKey.Parse(Self).ClinicId;

    // A partition hashes MRNs with the blind-index key its own key names.
    private string Generation => PatientIndexKeys.GenerationOf(Self);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A partition written whole as grain state (before 0030) moves into the store once; an
        // entry the store already gives to someone else stays theirs.
        if (legacy.State.Patients.Count > 0)
        {
            foreach (var (key, holder) in legacy.State.Patients)
            {
                await store.PutAsync(Self, new PatientIndexEntry(key, holder.PatientId, holder.Summary));
            }

            await legacy.ClearStateAsync();
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<bool> ClaimAsync(PatientSummary patient)
    {
        var value = await protector.ProtectAsync(patient, PhiField.MrnRegistryEntry(ClinicId, patient.Id));
        var holder = await store.PutAsync(Self, new PatientIndexEntry(keys.MrnIndex(Generation, ClinicId, patient.Mrn), patient.Id, value));
        return holder == patient.Id;
    }

    public Task ReleaseAsync(string mrn, string patientId) => store.RemoveAsync(Self, keys.MrnIndex(Generation, ClinicId, mrn), patientId);

    public async Task<PatientSummary?> FindAsync(string mrn) =>
        await store.GetAsync(Self, keys.MrnIndex(Generation, ClinicId, mrn)) is { } holder
            ? await protector.UnprotectAsync<PatientSummary>(holder.Value, PhiField.MrnRegistryEntry(ClinicId, holder.Owner))
            : null;
}
