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

    /// <summary>The resource a request is about when its route does not name it (a FHIR <c>$book</c> or create).</summary>
    public string? ResourceId { get; set; }

    /// <summary>Every patient a search or list returned (ids only), for each patient's accounting of disclosures.</summary>
    public IReadOnlyList<string>? DisclosedPatientIds { get; private set; }

    /// <summary>Records the patients a response discloses: distinct, at most <see cref="ClinicCluster.Audit.AuditEvent.MaxDisclosedPatients"/>.</summary>
    public void Disclosed(IEnumerable<string> patientIds) =>
        DisclosedPatientIds = patientIds.Distinct(StringComparer.Ordinal).Take(ClinicCluster.Audit.AuditEvent.MaxDisclosedPatients).ToList();

    public static AuditDetails Of(HttpContext http)
    {
        if (http.Items[Key] is not AuditDetails details)
        {
            http.Items[Key] = details = new AuditDetails();
        }

        return details;
    }
}
