using ClinicCluster.Common;
using ClinicCluster.Patients;

namespace ClinicCluster.Fhir.Patients;

/// <summary>
/// Runs a Patient search on the native lookups: <c>_id</c> on the patient grain, <c>identifier</c>
/// on the directory's MRN registry, a name prefix on its name index (at most
/// <see cref="PatientSearchQuery.MaxCount"/> hits, as natively); the other parameters narrow that.
/// </summary>
public static class PatientSearch
{
    public static async Task<IReadOnlyList<string>> MatchAsync(IGrainFactory grains, string clinicId, PatientSearchQuery query)
    {
        if (query.IdentifierSystem is { Length: > 0 } system && system != PatientMapper.MrnSystem)
        {
            return [];
        }

        var directory = grains.GetGrain<IPatientDirectoryGrain>(clinicId);
        IReadOnlyList<PatientSummary> candidates;
        if (query.Id is not null)
        {
            candidates = await Grain(grains, clinicId, query.Id).GetAsync() is { } p
                ? [new PatientSummary(p.Id, p.Demographics.Mrn, p.Demographics.GivenName, p.Demographics.FamilyName, p.Demographics.BirthDate)]
                : [];
        }
        else if (query.Mrn is not null)
        {
            candidates = await directory.FindByMrnAsync(query.Mrn) is { } hit ? [hit] : [];
        }
        else
        {
            candidates = await directory.SearchByNameAsync((query.Name ?? query.Family ?? query.Given)!, PatientSearchQuery.MaxCount);
        }

        return candidates.Where(c => Narrows(query, c)).Select(c => c.Id).ToList();
    }

    /// <summary>The full patients of one page, in the page's order (a patient removed since is left out).</summary>
    public static async Task<IReadOnlyList<Patient>> LoadAsync(IGrainFactory grains, string clinicId, IReadOnlyList<string> ids)
    {
        var patients = await Task.WhenAll(ids.Select(id => Grain(grains, clinicId, id).GetAsync()));
        return patients.OfType<Patient>().ToList();
    }

    // The MRN or name that chose the candidates matched already; family and given always narrow
    // (the name index matches a prefix of either), and so do the others.
    private static bool Narrows(PatientSearchQuery q, PatientSummary c)
    {
        var driver = q.Kind;
        return (q.Mrn is null || driver == "mrn" || c.Mrn == q.Mrn)
            && (q.Name is null || driver == "name" || StartsWord(c.GivenName, q.Name) || StartsWord(c.FamilyName, q.Name))
            && (q.Family is null || StartsWord(c.FamilyName, q.Family))
            && (q.Given is null || StartsWord(c.GivenName, q.Given))
            && (q.BirthDate is null || c.BirthDate == q.BirthDate);
    }

    private static bool StartsWord(string name, string prefix) =>
        name.Split([' ', '-', '\''], StringSplitOptions.RemoveEmptyEntries).Prepend(name)
            .Any(w => w.StartsWith(prefix.Trim(), StringComparison.OrdinalIgnoreCase));

    private static IPatientGrain Grain(IGrainFactory grains, string clinicId, string patientId) =>
        grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, patientId));
}
