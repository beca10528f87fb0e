using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using FhirAppointment = Hl7.Fhir.Model.Appointment;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>
/// Books a FHIR Appointment through the native path: one <c>IAppointmentGrain.BookAsync</c> (the
/// calendars, then the ledger's insert, decide), so an overlap is a 409 and two identical
/// concurrent bookings give one appointment. The <c>Idempotency-Key</c> header picks the id and the
/// request fingerprint exactly as the native booking does, so a key means the same booking on both APIs.
/// </summary>
public static class FhirBooking
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static async Task<IResult> BookAsync(HttpContext http, string clinicId, FhirAppointment appointment)
    {
        var host = http.RequestServices.GetRequiredService<IFhirHost>();
        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        var (command, problem) = BookingRequest.From(appointment);
        if (command is null)
        {
            return FhirOutcomes.Invalid(problem!);
        }

        host.NotePatient(http, command.PatientId);
        if (appointment.End is { } end && await DurationAsync(grains, clinicId, command.AppointmentType) is { } minutes
            && end - command.Start != TimeSpan.FromMinutes(minutes))
        {
            return FhirOutcomes.Error(StatusCodes.Status422UnprocessableEntity, "end: the start plus the visit type's duration (or leave it out).");
        }

        string appointmentId;
        string? fingerprint = null;
        var key = http.Request.Headers[IdempotencyKeyHeader];
        if (key.Count > 1 || (key.Count == 1 && !FreeText.IsPrintableAscii(key[0]!, 255)))
        {
            return FhirOutcomes.Invalid("Idempotency-Key: 1 to 255 printable ASCII characters.");
        }

        var scopedKey = key.Count == 1 ? $"{FhirBase.Subject(http)}\n{key[0]}" : null;
        if (scopedKey is null)
        {
            appointmentId = Identifiers.New("apt");
        }
        else
        {
            // As AppointmentsApi.BookAppointment: the key (scoped to the caller) picks the grain that holds the first outcome.
            appointmentId = "apt-" + Hash(scopedKey)[..32];
            fingerprint = Fingerprint(http, command);
        }

        host.NoteResource(http, appointmentId);
        var result = await grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, appointmentId)).BookAsync(command, fingerprint);
        return result.Value is { } booked ? Created(http, clinicId, booked) : FhirErrors.From(result.Error!);
    }

    /// <summary>The 201 of a booking: the resource with its ETag and <c>Location .../_history/1</c>.</summary>
    public static FhirResult Created(HttpContext http, string clinicId, Appointment booked)
    {
        var host = http.RequestServices.GetRequiredService<IFhirHost>();
        var resource = AppointmentMapper.ToFhir(booked, host.MayReadClinicalText(http, clinicId));
        var location = $"{FhirBase.Of(http.Request, clinicId)}/Appointment/{booked.Id}/_history/{resource.Meta!.VersionId}";
        return FhirVersions.Result(resource, StatusCodes.Status201Created, location);
    }

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    // The native fingerprint: the command in the API's JSON, so a key names one booking on both APIs.
    private static string Fingerprint(HttpContext http, BookAppointment command)
    {
        var json = http.RequestServices.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        return Hash(JsonSerializer.Serialize(command, json));
    }

    private static async Task<int?> DurationAsync(IGrainFactory grains, string clinicId, string type) =>
        (await grains.GetGrain<IClinicGrain>(clinicId).GetAsync())?.Settings.AppointmentTypes
            .FirstOrDefault(t => string.Equals(t.Name, type, StringComparison.OrdinalIgnoreCase))?.DurationMinutes;

}
