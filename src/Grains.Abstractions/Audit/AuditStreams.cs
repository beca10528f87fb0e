namespace ClinicCluster.Audit;

/// <summary>Where audit events travel: one stream per clinic in this namespace, on this provider.</summary>
public static class AuditStreams
{
    public const string ProviderName = "audit";
    public const string Namespace = "audit";
}
