namespace ClinicCluster.Patients;

/// <summary>
/// One partition of a clinic's MRN registry: MRNs are unique per clinic, and each MRN hashes to
/// one partition, so claiming an MRN is a single-grain, race-free operation.
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
