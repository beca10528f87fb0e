namespace ClinicCluster.Patients;

/// <summary>
/// One partition of a clinic's MRN registry: MRNs are unique per clinic, each MRN hashes to one
/// partition, and a claim is one conditional write to <see cref="IPatientIndexStore"/>, so two
/// claims of one MRN cannot both succeed, on one silo or several.
/// Key: "{clinicId}/mrn/{partition}".
/// </summary>
public interface IMrnRegistryGrain : IGrainWithStringKey
{
    /// <summary>Claims the MRN for the patient; false when another patient holds it.</summary>
    Task<bool> ClaimAsync(PatientSummary patient);

    /// <summary>Frees the MRN if this patient holds it.</summary>
    Task ReleaseAsync(string mrn, string patientId);

    /// <summary>The patient holding the MRN, or null.</summary>
    [ReadOnly]
    Task<PatientSummary?> FindAsync(string mrn);
}
