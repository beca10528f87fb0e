namespace ClinicCluster.Audit;

/// <summary>Where audit events travel: one stream per clinic in this namespace, on this provider.</summary>
public static class AuditStreams
{
    public const string ProviderName = "audit";
    public const string Namespace = "audit";

    /// <summary>
    /// Orleans queues (rows' queue_id, "audit-0".."audit-7") the clinics' streams are hashed over.
    /// Each queue has one pulling agent on one silo, so the count bounds how many silos share the
    /// consumer work. Publishers (the API) and silos must use the same count, or events strand in
    /// a queue no silo reads, hence one constant for both. A queue that existed under a smaller
    /// count keeps its name, so raising it strands nothing.
    /// </summary>
    public const int QueueCount = 8;
}
