using ClinicCluster.Audit;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace ClinicCluster.Fhir.Patients;

/// <summary>
/// Patient read and search, on the same grain calls, permission and audit as the native patient
/// endpoints: a read is one <c>IPatientGrain.GetAsync</c>, a search the clinic's patient directory.
/// </summary>
public static class FhirPatientEndpoints
{
    public static void Map(RouteGroupBuilder fhir, IFhirHost host)
    {
        host.Secure(fhir.MapGet("/Patient/{patientId}", Read).WithName("FhirReadPatient"), FhirAccess.PatientRead, AuditAction.Read, "Patient");
        host.Secure(fhir.MapGet("/Patient", Search).WithName("FhirSearchPatient"), FhirAccess.PatientRead, AuditAction.Search, "Patient");
        host.Secure(fhir.MapGet("/Patient/_search", Search).WithName("FhirSearchPatientGet"), FhirAccess.PatientRead, AuditAction.Search, "Patient");
        host.Secure(fhir.MapPost("/Patient/_search", Search).WithName("FhirSearchPatientPost"), FhirAccess.PatientRead, AuditAction.Search, "Patient");
    }

    private static async Task<IResult> Read(string clinicId, string patientId, IGrainFactory grains)
    {
        if (!Identifiers.IsValid(patientId))
        {
            return FhirOutcomes.Invalid("The Patient id is not a valid id.");
        }

        return await grains.GetGrain<ClinicCluster.Patients.IPatientGrain>(ClinicScopedKey.Format(clinicId, patientId)).GetAsync() is { } patient
            ? FhirVersions.Result(PatientMapper.ToFhir(patient))
            : FhirOutcomes.NotFound("Patient");
    }

    private static async Task<IResult> Search(string clinicId, HttpContext http, IGrainFactory grains, SearchCursors cursors, IFhirHost host)
    {
        IEnumerable<KeyValuePair<string, StringValues>> parameters = http.Request.Query;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            // POST _search keeps names out of URLs: the form body holds them (the format filter checked its type).
            IFormCollection form;
            try
            {
                form = await http.Request.ReadFormAsync(http.RequestAborted);
            }
            catch (InvalidDataException)
            {
                // A NUL or an invalid escape in the form, or past the form limits: the caller's mistake, not ours.
                host.NoteSearch(http, null, []);
                return FhirOutcomes.Invalid("The form body is not valid application/x-www-form-urlencoded.");
            }

            parameters = parameters.Concat(form);
        }

        var (query, error) = PatientSearchQuery.Parse(parameters);
        if (query is null)
        {
            host.NoteSearch(http, null, []);
            return error!;
        }

        var subject = FhirBase.Subject(http);
        SearchCursor page;
        if (query.Cursor is not null)
        {
            if (cursors.Find(query.Cursor, clinicId, subject) is not { } found)
            {
                host.NoteSearch(http, query.Kind, []);
                return FhirOutcomes.Invalid("Parameter '_cursor': the page link expired or belongs to another caller; run the search again.");
            }

            page = found;
        }
        else
        {
            var ids = await PatientSearch.MatchAsync(grains, clinicId, query);
            page = new SearchCursor(clinicId, subject, query.Kind, ids, 0, query.Count);
        }

        var pageIds = page.Ids.Skip(page.Offset).Take(page.Count).ToList();
        var next = page.Offset + pageIds.Count < page.Ids.Count ? cursors.Open(page with { Offset = page.Offset + pageIds.Count }) : null;
        var patients = await PatientSearch.LoadAsync(grains, clinicId, pageIds);
        host.NoteSearch(http, query.Kind, patients.Select(p => p.Id).ToList());
        return new FhirResult(SearchBundle.Of(FhirBase.Of(http.Request, clinicId), page.Ids.Count, patients, next));
    }
}
