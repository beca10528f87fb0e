using ClinicCluster.Audit;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Fhir.Patients;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>
/// Appointment search (<see cref="AppointmentSearchQuery"/>), paged like the Patient search: the
/// matched ids are fixed when it runs and the <c>next</c> link is a cursor token of this caller.
/// Each page is one audit event with the patients it discloses.
/// </summary>
public static class FhirAppointmentSearch
{
    private const string CursorKind = "appointment-";

    public static void Map(RouteGroupBuilder fhir, IFhirHost host) =>
        host.Secure(fhir.MapGet("/Appointment", SearchAsync).WithName("FhirSearchAppointment"), FhirAccess.AppointmentRead, AuditAction.Search, "Appointment");

    private static async Task<IResult> SearchAsync(string clinicId, HttpContext http, IGrainFactory grains, SearchCursors cursors, IFhirHost host)
    {
        var (query, error) = AppointmentSearchQuery.Parse(http.Request.Query);
        if (query is null)
        {
            host.NoteSearch(http, null, []);
            return error!;
        }

        var subject = FhirBase.Subject(http);
        SearchCursor page;
        if (query.Cursor is not null)
        {
            if (cursors.Find(query.Cursor, clinicId, subject) is not { } found || !found.QueryKind.StartsWith(CursorKind, StringComparison.Ordinal))
            {
                host.NoteSearch(http, query.Kind, []);
                return FhirOutcomes.Invalid("Parameter '_cursor': the page link expired or belongs to another caller; run the search again.");
            }

            page = found;
        }
        else
        {
            var (ids, failed) = await AppointmentSearch.MatchAsync(grains, clinicId, query);
            if (ids is null)
            {
                host.NoteSearch(http, query.Kind, []);
                return failed!;
            }

            page = new SearchCursor(clinicId, subject, CursorKind + query.Kind, ids, 0, query.Count);
        }

        var pageIds = page.Ids.Skip(page.Offset).Take(page.Count).ToList();
        var next = page.Offset + pageIds.Count < page.Ids.Count ? cursors.Open(page with { Offset = page.Offset + pageIds.Count }) : null;
        var appointments = await AppointmentSearch.LoadAsync(grains, clinicId, pageIds);
        host.NoteSearch(http, query.Kind, appointments.Select(a => a.PatientId).ToList());
        var clinicalText = host.MayReadClinicalText(http, clinicId);
        return new FhirResult(ResourceBundle.Of(FhirBase.Of(http.Request, clinicId), "/Appointment", page.Ids.Count,
            appointments.Select(a => AppointmentMapper.ToFhir(a, clinicalText)), next is null ? null : "/Appointment?_cursor=" + next));
    }
}
