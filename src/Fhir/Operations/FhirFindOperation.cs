using System.Globalization;
using ClinicCluster.Audit;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Appointments;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Patients;
using ClinicCluster.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir.Operations;

/// <summary>
/// <c>Appointment/$find</c> (GET, or POST with Parameters): proposed Appointments across providers
/// from the same clinic-wide search as the native <c>/availability</c> (<see cref="IClinicAvailabilityGrain"/>,
/// decision 0036): what it shows is what a booking would find now. One audit event per call; with
/// a <c>patient</c> it needs patient read and records that patient.
/// </summary>
public static class FhirFindOperation
{
    public static void Map(RouteGroupBuilder fhir, IFhirHost host)
    {
        host.Secure(fhir.MapGet("/Appointment/$find", FindAsync).WithName("FhirFindAppointments"), FhirAccess.ClinicRead, AuditAction.Search, "Appointment");
        host.Secure(fhir.MapPost("/Appointment/$find", FindAsync).WithName("FhirFindAppointmentsPost").WithMetadata(new FhirJsonBody()),
            FhirAccess.ClinicRead, AuditAction.Search, "Appointment");
    }

    private static async Task<IResult> FindAsync(string clinicId, HttpContext http, IGrainFactory grains, IFhirHost host)
    {
        host.NoteSearch(http, "find", []);
        var (input, _, error) = await OperationParameters.ReadAsync(http.Request);
        if (input is null)
        {
            return error!;
        }

        var (query, problem) = FindQuery.Parse(input);
        if (query is null)
        {
            return FhirOutcomes.Invalid(problem!);
        }

        if (query.PatientId is { } patientId)
        {
            if (!host.Allows(http, clinicId, FhirAccess.PatientRead))
            {
                return FhirOutcomes.Error(StatusCodes.Status403Forbidden);
            }

            host.NoteSearch(http, "find", [patientId]);
            if (!await grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, patientId)).ExistsAsync())
            {
                return FhirOutcomes.NotFound("Patient");
            }
        }

        if (await grains.GetGrain<IClinicGrain>(clinicId).GetAsync() is not { } clinic)
        {
            return FhirOutcomes.NotFound("Clinic");
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(clinic.Settings.TimeZone);
        var types = clinic.Settings.AppointmentTypes;
        var type = query.VisitType is { } wanted ? types.FirstOrDefault(t => string.Equals(t.Name, wanted, StringComparison.OrdinalIgnoreCase))
            : types.Count == 1 ? types[0] : null;
        if (type is null)
        {
            return FhirOutcomes.Invalid("Parameter 'visit-type': a visit type of this clinic (required when it has several).");
        }

        if (FindWindow.Of(query.Start, query.End, zone) is not { } window)
        {
            return FhirOutcomes.Invalid($"Parameters 'start' and 'end': dates or instants, end after start, at most {ClinicAvailabilityLimits.MaxDays} local days.");
        }

        var self = "/Appointment/$find";
        if (query.Place is { } place && place != clinicId && place != "Location/" + clinicId && place != "Organization/" + clinicId)
        {
            return new FhirResult(ResourceBundle.Of(FhirBase.Of(http.Request, clinicId), self, null, [], null));
        }

        var native = new ClinicAvailabilityQuery(type.Name, window.FromDate, window.ToDate, query.Practitioners.Count > 0 ? query.Practitioners : null,
            query.Specialty, query.Count, query.Cursor);
        var result = await grains.GetGrain<IClinicAvailabilityGrain>(clinicId).FindAsync(native);
        if (result.Value is not { } page)
        {
            return FhirErrors.From(result.Error!);
        }

        var proposals = page.Items.Where(s => s.Start >= window.From && s.End <= window.To)
            .Select(s => Proposal.Of(s, type.Name, query.PatientId)).ToList();
        var next = page.NextCursor is { } cursor ? self + "?" + NextQuery(query, cursor) : null;
        return new FhirResult(ResourceBundle.Of(FhirBase.Of(http.Request, clinicId), self, null, proposals, next));
    }

    // The next page repeats the query (ids, dates and codes: no PHI text) with the search's own cursor.
    private static string NextQuery(FindQuery q, string cursor)
    {
        var pairs = new List<(string, string?)> { ("start", q.Start), ("end", q.End), ("specialty", q.Specialty), ("visit-type", q.VisitType),
            ("location", q.Place), ("patient", q.PatientId is null ? null : "Patient/" + q.PatientId), ("_count", q.Count.ToString(CultureInfo.InvariantCulture)), ("_cursor", cursor) };
        pairs.AddRange(q.Practitioners.Select(p => ("practitioner", (string?)("Practitioner/" + p))));
        return string.Join('&', pairs.Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));
    }
}
