namespace ClinicCluster.Api.Audit;

/// <summary>
/// What a handler knows that the audit filter cannot see from the route or the result: the kind
/// of query a search ran. Never the query text: that is PHI.
/// </summary>
public sealed class AuditDetails
{
    private static readonly object Key = new();

    public string? QueryKind { get; set; }

    public int? ResultCount { get; set; }

    public string? PatientId { get; set; }

    public static AuditDetails Of(HttpContext http)
    {
        if (http.Items[Key] is not AuditDetails details)
        {
            http.Items[Key] = details = new AuditDetails();
        }

        return details;
    }
}
