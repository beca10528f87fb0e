namespace ClinicCluster.Patients;

/// <summary>
/// The entry point for patient lookups: a stateless worker, so it runs locally on whichever silo
/// takes the request and only routes to the partitions that hold the answer. While a blind-index
/// key rotates, a patient not yet re-indexed sits in the older generation's partitions, so
/// lookups ask every generation in the ring, the active one first. Reentrant: it holds no state,
/// and without it each activation (one per core) would queue searches behind one another's index call.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class PatientDirectoryGrain(PatientIndexKeys keys) : Grain, IPatientDirectoryGrain
{
    public async Task<PatientSummary?> FindByMrnAsync(string mrn)
    {
        var clinicId = this.GetPrimaryKeyString();
        foreach (var generation in keys.Generations)
        {
            if (await GrainFactory.GetGrain<IMrnRegistryGrain>(keys.Mrn(generation, clinicId, mrn)).FindAsync(mrn) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    public async Task<IReadOnlyList<PatientSummary>> SearchByNameAsync(string prefix, int limit)
    {
        if (NameTokens.Prefix(prefix) is not { } token)
        {
            return [];
        }

        var clinicId = this.GetPrimaryKeyString();
        if (keys.Generations.Count == 1)
        {
            return await GrainFactory.GetGrain<INameIndexGrain>(keys.Name(clinicId, token)).SearchAsync(token, limit);
        }

        var perGeneration = await Task.WhenAll(keys.Generations.Select(g =>
            GrainFactory.GetGrain<INameIndexGrain>(keys.Name(g, clinicId, token)).SearchAsync(token, limit)));

        // A patient moved mid-search may be in both: the active generation's entry wins.
        return perGeneration.SelectMany(hits => hits)
            .DistinctBy(p => p.Id)
            .OrderBy(p => NameTokens.SortKey(p.FamilyName), StringComparer.Ordinal)
            .ThenBy(p => NameTokens.SortKey(p.GivenName), StringComparer.Ordinal)
            .ThenBy(p => p.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }
}
