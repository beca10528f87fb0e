using System.Globalization;
using ClinicCluster.Common;
using ClinicCluster.Patients;

namespace ClinicCluster.GrainMemory;

/// <summary>
/// Who the seeded patients are: <c>clinics</c> clinics (<c>mem-000</c>...) of equal size, patient
/// <c>n</c> of a clinic is <c>pat-{n:D7}</c> with MRN <c>M{n:D7}</c>, names drawn from small pools
/// (common surnames, shared prefixes), deterministic, so the seed and the activation agree.
/// </summary>
internal sealed record SeedPopulation(int Clinics, int PatientsPerClinic)
{
    private static readonly string[] Family = ["Smith", "Smyth", "Smithe", "Smithson", "Schmidt", "Johnson", "Jones", "Garcia", "Miller", "Davis", "Nguyen", "Kowalski", "Okafor", "Tanaka", "Larsen", "Moreau"];
    private static readonly string[] Given = ["Jo", "John", "Joan", "Jon", "Maria", "Mary", "Ana", "Li", "Wei", "Fatima", "Olu", "Sven", "Aiko", "Luc", "Emma", "Noah"];

    public long Total => (long)Clinics * PatientsPerClinic;

    public static string ClinicId(int clinic) => "mem-" + clinic.ToString("D3", CultureInfo.InvariantCulture);

    public static string PatientId(int patient) => "pat-" + patient.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>The grain key of the <paramref name="index"/>-th patient overall, clinics interleaved.</summary>
    public (string Clinic, string Patient) At(long index) =>
        (ClinicId((int)(index % Clinics)), PatientId((int)(index / Clinics)));

    public static string Key((string Clinic, string Patient) at) => ClinicScopedKey.Format(at.Clinic, at.Patient);

    public static PatientDemographics Demographics(int patient) => new(
        "M" + patient.ToString("D7", CultureInfo.InvariantCulture),
        Given[patient % Given.Length],
        Family[patient / Given.Length % Family.Length],
        new DateOnly(1940, 1, 1).AddDays(patient % 25_000),
        (AdministrativeSex)(1 + (patient % 2)),
        Phone: "+1555" + (patient % 10_000_000).ToString("D7", CultureInfo.InvariantCulture),
        Email: null,
        Address: new PostalAddress($"{patient % 900 + 1} Main Street", null, "Springfield", "IL", "62701", "US"));
}
