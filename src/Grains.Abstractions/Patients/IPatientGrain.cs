using ClinicCluster.Common;

namespace ClinicCluster.Patients;

/// <summary>A patient's record. Key: "{clinicId}/{patientId}".</summary>
public interface IPatientGrain : IGrainWithStringKey
{
    /// <summary>Registers the patient; a conflict when the MRN is taken in the clinic.</summary>
    Task<Result<Patient>> CreateAsync(PatientDemographics demographics);

    /// <summary>Replaces the patient's demographics; a conflict when a new MRN is taken.</summary>
    Task<Result<Patient>> UpdateAsync(PatientDemographics demographics);

    /// <summary>The patient, or null when no patient has this id.</summary>
    [ReadOnly]
    Task<Patient?> GetAsync();

    /// <summary>Whether a patient has this id (a booking's check: no demographics leave the grain).</summary>
    [ReadOnly]
    Task<bool> ExistsAsync();

    /// <summary>
    /// Moves the patient's MRN registry and name index entries to the active blind-index key and
    /// out of every other generation (<c>encryption reindex</c>); false when the MRN is held by
    /// another patient in the active generation.
    /// </summary>
    Task<bool> ReindexAsync();
}
