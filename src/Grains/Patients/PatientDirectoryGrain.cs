
namespace ClinicCluster.Patients;

/// <summary>
/// The entry point for patient lookups: a stateless worker, so it runs locally on whichever silo
/// takes the request and only routes to the partition that holds the answer.
/// </summary>
[StatelessWorker]
public sealed class PatientDirectoryGrain(PatientIndexKeys keys) : Grain, IPatientDirectoryGrain
{
    public Task<PatientSummary?> FindByMrnAsync(string mrn) =>
        GrainFactory.GetGrain<IMrnRegistryGrain>(keys.Mrn(this.GetPrimaryKeyString(), mrn)).FindAsync(mrn);

    public async Task<IReadOnlyList<PatientSummary>> SearchByNameAsync(string prefix, int limit)
    {
        if (NameTokens.Prefix(prefix) is not { } token)
        {
            return [];
        }

        var key = keys.Name(this.GetPrimaryKeyString(), token);
        return await GrainFactory.GetGrain<INameIndexGrain>(key).SearchAsync(token, limit);
    }
}
