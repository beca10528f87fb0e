using System.Globalization;
using ClinicCluster.Audit;
using ClinicCluster.Fhir.Hosting;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir.AuditEvents;

/// <summary>
/// <c>[base]/AuditEvent?patient=&amp;date=</c>: the clinic's audit trail as R4 AuditEvents, for
/// auditors (the native <c>AuditRead</c> permission, and the SMART scope <c>user/AuditEvent.s</c>).
/// The same grain query as the native audit search; reading the trail is itself one audit event.
/// </summary>
public static class FhirAuditEventEndpoints
{
    public static void Map(RouteGroupBuilder fhir, IFhirHost host) =>
        host.Secure(fhir.MapGet("/AuditEvent", SearchAsync).WithName("FhirSearchAuditEvent"), FhirAccess.AuditRead, AuditAction.Search, "AuditEvent");

    private static async Task<IResult> SearchAsync(string clinicId, HttpContext http, IGrainFactory grains, IFhirHost host)
    {
        var (query, error) = AuditEventSearchQuery.Parse(http.Request.Query);
        if (query is null)
        {
            host.NoteQuery(http, null, null, 0);
            return error!;
        }

        var records = await grains.GetGrain<IAuditTrailGrain>(clinicId)
            .QueryAsync(new AuditQuery(query.PatientId, null, query.From, query.To, query.After, query.Count));
        host.NoteQuery(http, query.PatientId, query.Kind, records.Count);

        var baseUrl = FhirBase.Of(http.Request, clinicId);
        var bundle = new Bundle { Id = Guid.NewGuid().ToString("N"), Type = Bundle.BundleType.Searchset, Timestamp = DateTimeOffset.UtcNow };
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = Link(baseUrl, query) });
        if (records.Count == query.Count)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = Link(baseUrl, query with { After = records[^1].Sequence }) });
        }

        foreach (var record in records)
        {
            var resource = AuditEventMapper.ToFhir(record, query.PatientId);
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/AuditEvent/{resource.Id}",
                Resource = resource,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }

        return new FhirResult(bundle);
    }

    // The link repeats the query in its normalised form (ids, instants, numbers: never free text).
    private static string Link(string baseUrl, AuditEventSearchQuery query)
    {
        var parts = new List<string>();
        if (query.PatientId is not null)
        {
            parts.Add("patient=" + query.PatientId);
        }

        if (query.From is { } from)
        {
            parts.Add("date=ge" + Uri.EscapeDataString(from.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)));
        }

        if (query.To is { } to)
        {
            parts.Add("date=lt" + Uri.EscapeDataString(to.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)));
        }

        parts.Add("_count=" + query.Count.ToString(CultureInfo.InvariantCulture));
        if (query.After > 0)
        {
            parts.Add("_page=" + query.After.ToString(CultureInfo.InvariantCulture));
        }

        return $"{baseUrl}/AuditEvent?{string.Join('&', parts)}";
    }
}
