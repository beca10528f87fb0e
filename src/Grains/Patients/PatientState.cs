namespace ClinicCluster.Patients;

/// <summary>The persisted state of a patient grain: the record with its demographics encrypted.</summary>
[GenerateSerializer, Alias("cc.PatientState")]
public sealed class PatientState
{
    [Id(0)]
    public ProtectedPatient? Patient { get; set; }
}

/// <summary>
/// A <see cref="Patient"/> as stored: ids and times in clear, every demographic field (MRN, names,
/// birth date, sex, contact data, address) in one ciphertext from <see cref="Security.IPhiProtector"/>.
/// <see cref="Version"/> came later (FHIR versions, issue 23): state stored before it reads as 0,
/// which the grain takes as version 1.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.ProtectedPatient")]
public sealed record ProtectedPatient(
    [property: Id(0)] string Id,
    [property: Id(1)] string ClinicId,
    [property: Id(2)] string Demographics,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] long Version = 0);
