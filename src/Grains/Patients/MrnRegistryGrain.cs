namespace ClinicCluster.Patients;

/// <summary>One partition of a clinic's MRN registry. MRNs compare case-insensitively.</summary>
public sealed class MrnRegistryGrain(
    [PersistentState("mrns", StorageNames.Patients)] IPersistentState<MrnRegistryState> state) : Grain, IMrnRegistryGrain
{
    public async Task<bool> ClaimAsync(PatientSummary patient)
    {
        var key = patient.Mrn.ToUpperInvariant();
        if (state.State.Patients.TryGetValue(key, out var holder) && holder.Id != patient.Id)
        {
            return false;
        }

        state.State.Patients[key] = patient;
        await state.WriteStateAsync();
        return true;
    }

    public async Task ReleaseAsync(string mrn, string patientId)
    {
        var key = mrn.ToUpperInvariant();
        if (state.State.Patients.TryGetValue(key, out var holder) && holder.Id == patientId)
        {
            state.State.Patients.Remove(key);
            await state.WriteStateAsync();
        }
    }

    public Task<PatientSummary?> FindAsync(string mrn) =>
        Task.FromResult(state.State.Patients.GetValueOrDefault(mrn.ToUpperInvariant()));
}
