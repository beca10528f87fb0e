namespace ClinicCluster.Patients;

/// <summary>
/// One partition of a clinic's name index: every patient whose given or family name has a word
/// starting with the partition's character. Key: "{clinicId}/name/{keyed hash of the character}".
/// </summary>
public interface INameIndexGrain : IGrainWithStringKey
{
    Task UpsertAsync(PatientSummary patient);

    Task RemoveAsync(string patientId);

    /// <summary>
    /// Takes into memory an entry already stored with its patient's MRN claim
    /// (<see cref="PatientIndexWriter"/>); writes nothing.
    /// </summary>
    Task AddStoredAsync(PatientSummary patient);

    /// <summary>Patients with a name word starting with <paramref name="prefix"/>, ordered by family
    /// name, given name and id; the first <paramref name="limit"/> only, without sorting the rest.</summary>
    [ReadOnly]
    Task<IReadOnlyList<PatientSummary>> SearchAsync(string prefix, int limit);
}
