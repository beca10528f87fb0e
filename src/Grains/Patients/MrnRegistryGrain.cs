using ClinicCluster.Security;

namespace ClinicCluster.Patients;

/// <summary>
/// One partition of a clinic's MRN registry. Entries are keyed by the MRN's blind index and hold the
/// search hit encrypted, so the stored partition reveals neither MRNs nor names.
/// </summary>
public sealed class MrnRegistryGrain(
    [PersistentState("mrns", StorageNames.Patients)] IPersistentState<MrnRegistryState> state,
    IPhiProtector protector,
    PatientIndexKeys keys) : Grain, IMrnRegistryGrain
{
    private string ClinicId => Common.ClinicScopedKey.Parse(this.GetPrimaryKeyString()).ClinicId;

    // A partition hashes MRNs with the blind-index key its own key names.
    private string Generation => PatientIndexKeys.GenerationOf(this.GetPrimaryKeyString());

    public async Task<bool> ClaimAsync(PatientSummary patient)
    {
        var key = keys.MrnIndex(Generation, ClinicId, patient.Mrn);
        if (state.State.Patients.TryGetValue(key, out var holder) && holder.PatientId != patient.Id)
        {
            return false;
        }

        state.State.Patients[key] = new MrnRegistration(patient.Id, await protector.ProtectAsync(patient, PhiField.MrnRegistryEntry(ClinicId, patient.Id)));
        await state.WriteStateAsync();
        return true;
    }

    public async Task ReleaseAsync(string mrn, string patientId)
    {
        var key = keys.MrnIndex(Generation, ClinicId, mrn);
        if (state.State.Patients.TryGetValue(key, out var holder) && holder.PatientId == patientId)
        {
            state.State.Patients.Remove(key);
            await SaveAsync();
        }
    }

    // An emptied partition (its generation moved off by a re-index) leaves no row behind.
    private Task SaveAsync() => state.State.Patients.Count == 0 ? state.ClearStateAsync() : state.WriteStateAsync();

    public async Task<PatientSummary?> FindAsync(string mrn) =>
        state.State.Patients.GetValueOrDefault(keys.MrnIndex(Generation, ClinicId, mrn)) is { } holder
            ? await protector.UnprotectAsync<PatientSummary>(holder.Summary, PhiField.MrnRegistryEntry(ClinicId, holder.PatientId))
            : null;
}
