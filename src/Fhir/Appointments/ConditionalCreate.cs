using System.Text.Json;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>
/// The booking of a conditional create whose <c>If-None-Exist</c> matched nothing, made atomic for
/// that condition (decision 0051): the appointment's id is derived from the normalized condition,
/// so every concurrent create with the same condition books the same grain, whose turn admits one.
/// The others find the id taken (by a booking with another request fingerprint), search again and
/// answer the match (200), as if they had come a moment later. An id taken by an earlier
/// appointment that no longer matches (cancelled, moved) moves on to the condition's next
/// generation, which every concurrent request tries in the same order.
/// </summary>
public static class ConditionalCreate
{
    /// <summary>Generations of a condition's id tried before giving up (each a past match that stopped matching).</summary>
    public const int MaxGenerations = 16;

    public static async Task<IResult> BookAsync(HttpContext http, string clinicId, BookAppointment command, AppointmentSearchQuery condition, string fingerprint)
    {
        var host = http.RequestServices.GetRequiredService<IFhirHost>();
        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        var normalized = Normalize(condition);
        for (var generation = 0; generation < MaxGenerations; generation++)
        {
            var appointmentId = IdOf(normalized, generation);
            host.NoteResource(http, appointmentId);
            var result = await grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, appointmentId)).BookAsync(command, fingerprint);
            if (result.Value is { } booked)
            {
                return FhirBooking.Created(http, clinicId, booked);
            }

            if (result.Error!.Kind != ErrorKind.IdempotencyMismatch)
            {
                return FhirErrors.From(result.Error);
            }

            // The id is taken by another request: the concurrent winner (it matches now) or a past match.
            var (ids, failed) = await AppointmentSearch.MatchAsync(grains, clinicId, condition);
            if (ids is null)
            {
                return failed!;
            }

            if (ids.Count > 0)
            {
                return await FhirAppointmentCreate.AnswerMatchesAsync(http, clinicId, ids);
            }
        }

        return FhirOutcomes.Error(StatusCodes.Status409Conflict, "If-None-Exist: this condition has created too many appointments that no longer match it.");
    }

    /// <summary>
    /// The condition as canonical JSON: the parameters that decide a match, in a fixed order, dates
    /// and statuses sorted (<c>_count</c> decides none). Two spellings of one condition that differ
    /// in text (a date written as an instant, say) are two conditions: the calendars still refuse a
    /// second booking of the same slot.
    /// </summary>
    public static string Normalize(AppointmentSearchQuery condition) => JsonSerializer.Serialize(new[]
    {
        condition.PatientId ?? "",
        condition.PractitionerId ?? "",
        string.Join('\n', condition.Dates.Select(d => d.Prefix + d.Value).Order(StringComparer.Ordinal)),
        string.Join(',', (condition.Statuses ?? new HashSet<AppointmentStatus>()).Select(s => s.ToString()).Order(StringComparer.Ordinal)),
    });

    public static string IdOf(string normalized, int generation) =>
        "apt-" + FhirBooking.Hash($"If-None-Exist\n{normalized}\n{generation.ToString(System.Globalization.CultureInfo.InvariantCulture)}")[..32];
}
