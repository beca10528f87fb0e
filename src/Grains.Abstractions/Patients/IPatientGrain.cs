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
}
