namespace ClinicCluster;

/// <summary>Names of the grain storage providers the silo must register.</summary>
public static class StorageNames
{
    public const string Clinics = "clinics";
    public const string Patients = "patients";
    public const string Scheduling = "scheduling";
}
