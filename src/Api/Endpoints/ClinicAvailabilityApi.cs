using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Problems;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Api.Endpoints;

/// <summary>The clinic-wide earliest-slot search (decision 0036). No PHI passes here: ids and times only.</summary>
public static class ClinicAvailabilityApi
{
    public static IEndpointRouteBuilder MapClinicAvailabilityApi(this IEndpointRouteBuilder routes)
    {
        routes.MapClinicGroup("Clinics").MapGet("/availability", FindAvailability)
            .Describe("FindClinicAvailability", "The earliest open slots of a visit type across the clinic's providers", Permission.ClinicRead)
            .WithDescription($"Slots by start, then provider id; at most {ClinicAvailabilityLimits.MaxDays} days (`from` to `to`, local dates, "
                + $"inclusive); `limit` 1-{ClinicAvailabilityLimits.MaxLimit} (default {ClinicAvailabilityLimits.DefaultLimit}); "
                + $"`providers`: up to {ClinicAvailabilityLimits.MaxProviders} ids, comma-separated; `specialty`: exact, any case. "
                + "A full page carries `nextCursor`: send it back with the same parameters for the next page (another query: 400). "
                + "Held slots are not shown.")
            .Produces<ClinicAvailabilityResponse>().ProducesValidationProblem();
        return routes;
    }

    private static async Task<IResult> FindAvailability(
        [AsParameters] ClinicRoute route,
        string type,
        DateOnly from,
        DateOnly to,
        string? providers,
        string? specialty,
        int? limit,
        string? cursor,
        IGrainFactory grains)
    {
        // Each text is checked before it is split or sent on: the grain validates again.
        foreach (var (name, value, max) in new[] { ("type", type, 64), ("providers", providers, 3_300), ("specialty", specialty, 100), ("cursor", cursor, ClinicAvailabilityLimits.MaxCursorLength) })
        {
            if (value is not null && FreeText.Problem(value, max) is { } problem)
            {
                return ApiResults.Invalid(name, problem);
            }
        }

        var query = new ClinicAvailabilityQuery(type, from, to, providers?.Split(',', StringSplitOptions.TrimEntries), specialty,
            limit ?? ClinicAvailabilityLimits.DefaultLimit, cursor);
        var result = await grains.GetGrain<IClinicAvailabilityGrain>(route.ClinicId).FindAsync(query);
        var timeZone = route.Clinic.Settings.TimeZone;
        return ApiResults.From(result, page => TypedResults.Ok(new ClinicAvailabilityResponse(type, timeZone, page.Items, page.NextCursor)));
    }
}

/// <summary>One page of a clinic-wide search; <c>nextCursor</c> is null on the last page.</summary>
public sealed record ClinicAvailabilityResponse(string AppointmentType, string TimeZone, IReadOnlyList<ClinicSlot> Items, string? NextCursor);
