namespace ClinicCluster.Patients;

/// <summary>
/// Finds a clinic's patients by MRN or by name prefix. Key: the clinic id. A stateless entry point
/// that fans out to the clinic's index partitions, so lookups scale with the number of silos.
/// </summary>
public interface IPatientDirectoryGrain : Clinics.IClinicKeyedGrain
{
    /// <summary>The patient with this MRN, or null.</summary>
    Task<PatientSummary?> FindByMrnAsync(string mrn);

    /// <summary>Patients whose given or family name starts with the prefix, ordered by name.</summary>
    Task<IReadOnlyList<PatientSummary>> SearchByNameAsync(string prefix, int limit);
}
