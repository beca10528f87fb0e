using ClinicCluster.Common;

namespace ClinicCluster.Patients;

/// <summary>
/// Registers a clinic's existing patients in bulk (the onboarding import). Key: the clinic id. A
/// stateless entry point: each patient is registered through its own patient grain, as a
/// registration is, under an id derived from its MRN, so importing one line twice registers it once.
/// </summary>
public interface IPatientImportGrain : Clinics.IClinicKeyedGrain
{
    /// <summary>
    /// The patient registered now (<see cref="ImportedPatient.Created"/> set), or the one already
    /// holding its MRN (not set); a validation error when the demographics are invalid.
    /// </summary>
    Task<Result<ImportedPatient>> ImportAsync(PatientDemographics demographics);
}

/// <summary>What importing one patient did: the id holding its MRN, and the record when this call created it.</summary>
[GenerateSerializer, Immutable, Alias("cc.ImportedPatient")]
public sealed record ImportedPatient([property: Id(0)] string PatientId, [property: Id(1)] Patient? Created);
