using ClinicCluster.Audit;
using ClinicCluster.Clinics;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Fhir.Patients;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir.Providers;

/// <summary>
/// Practitioner and Schedule search (<see cref="ProviderSearchQuery"/>) over the clinic grain's
/// providers, paged like the Patient search: the matched ids are fixed when it runs and the
/// <c>next</c> link is a cursor token of this caller. Clinic read; each page one audit event.
/// </summary>
public static class FhirProviderSearch
{
    public static void Map(RouteGroupBuilder fhir, IFhirHost host)
    {
        host.Secure(fhir.MapGet("/Practitioner", (string clinicId, HttpContext http, IGrainFactory grains, SearchCursors cursors) =>
            SearchAsync(clinicId, http, grains, cursors, host, "Practitioner", ProviderMapper.Practitioner)).WithName("FhirSearchPractitioner"),
            FhirAccess.ClinicRead, AuditAction.Search, "Practitioner");
        host.Secure(fhir.MapGet("/Schedule", (string clinicId, HttpContext http, IGrainFactory grains, SearchCursors cursors) =>
            SearchAsync(clinicId, http, grains, cursors, host, "Schedule", ProviderMapper.Schedule)).WithName("FhirSearchSchedule"),
            FhirAccess.ClinicRead, AuditAction.Search, "Schedule");
    }

    private static async Task<IResult> SearchAsync(
        string clinicId, HttpContext http, IGrainFactory grains, SearchCursors cursors, IFhirHost host, string type, Func<Provider, Resource> map)
    {
        var (query, error) = ProviderSearchQuery.Parse(type, http.Request.Query);
        host.NoteSearch(http, query?.Kind, []);
        if (query is null)
        {
            return error!;
        }

        var clinic = await grains.GetGrain<IClinicGrain>(clinicId).GetAsync();
        if (clinic is null)
        {
            return FhirOutcomes.NotFound("Clinic");
        }

        var subject = FhirBase.Subject(http);
        var kind = type.ToLowerInvariant() + "-";
        SearchCursor page;
        if (query.Cursor is not null)
        {
            if (cursors.Find(query.Cursor, clinicId, subject) is not { } found || !found.QueryKind.StartsWith(kind, StringComparison.Ordinal))
            {
                return FhirOutcomes.Invalid("Parameter '_cursor': the page link expired or belongs to another caller; run the search again.");
            }

            page = found;
        }
        else
        {
            page = new SearchCursor(clinicId, subject, kind + query.Kind, query.Match(clinic.Providers), 0, query.Count);
        }

        var pageIds = page.Ids.Skip(page.Offset).Take(page.Count).ToList();
        var next = page.Offset + pageIds.Count < page.Ids.Count ? cursors.Open(page with { Offset = page.Offset + pageIds.Count }) : null;
        // A provider removed since the search ran drops out of its page (the count stays the one matched then).
        var resources = pageIds.Select(id => clinic.Providers.FirstOrDefault(p => p.Id == id)).OfType<Provider>().Select(map);
        return new FhirResult(ResourceBundle.Of(FhirBase.Of(http.Request, clinicId), "/" + type, page.Ids.Count, resources,
            next is null ? null : $"/{type}?_cursor={next}"));
    }
}
