using ClinicCluster.Clinics;
using ClinicCluster.Patients;

namespace ClinicCluster.Storage.Tests;

/// <summary>Valid, obviously fictional clinics and patients.</summary>
internal static class TestData
{
    public static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..16];

    public static ClinicSettings Clinic(string name) => new(
        name,
        "America/New_York",
        [new AppointmentType("checkup", 30, 10)],
        BookingPolicy.Default);

    public static PatientDemographics Patient(string mrn) => new(
        mrn,
        "Testy",
        "McTestface",
        new DateOnly(1980, 5, 17),
        AdministrativeSex.Female,
        Phone: "+1-555-0100",
        Address: new PostalAddress("1 Test St", null, "Springfield", "NY", "10001", "US"));
}
