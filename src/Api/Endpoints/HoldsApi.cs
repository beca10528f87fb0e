using ClinicCluster.Api.Audit;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Problems;
using ClinicCluster.Audit;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// Checkout holds (decision 0036): reserve one slot for a patient for a few minutes, then book it
/// with <c>holdId</c> or release it. A hold names a patient, so it is PHI access and audited like a booking.
/// </summary>
public static class HoldsApi
{
    public static IEndpointRouteBuilder MapHoldsApi(this IEndpointRouteBuilder routes)
    {
        var holds = routes.MapClinicGroup("Appointments").MapGroup("/holds");
        holds.MapPost("/", PlaceHold)
            .Describe("PlaceHold", "Reserve one slot for a patient during a checkout", Permission.AppointmentBook)
            .WithDescription($"`minutes`: 1-{HoldLimits.MaxMinutes} (default {HoldLimits.DefaultMinutes}). While held, the slot is hidden from "
                + "searches and other bookings get 409 `slot-held`; book it with `holdId` (same patient, type and start). "
                + "Holds live in memory: a silo's restart drops them, which frees the slot.")
            .Audited(AuditAction.Create, "Slot")
            .WithMetadata(new NotIdempotent())
            .Produces<CheckoutHold>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        holds.MapDelete("/{holdId}", ReleaseHold)
            .Describe("ReleaseHold", "Release a checkout hold", Permission.AppointmentBook)
            .Audited(AuditAction.Delete, "Slot")
            .Produces(StatusCodes.Status204NoContent);
        return routes;
    }

    private static async Task<IResult> PlaceHold(string clinicId, PlaceHold request, HttpContext http, IGrainFactory grains)
    {
        AuditDetails.Of(http).PatientId = request.PatientId;
        if (!Identifiers.IsValid(request.ProviderId))
        {
            return ApiResults.Invalid("providerId", "Must be a provider id.");
        }

        var result = await Calendar(grains, clinicId, request.ProviderId).PlaceHoldAsync(request);
        return ApiResults.From(result, hold => TypedResults.Created($"/api/clinics/{clinicId}/holds/{hold.Id}", hold));
    }

    private static async Task<IResult> ReleaseHold(string clinicId, string holdId, HttpContext http, IGrainFactory grains)
    {
        // A malformed id cannot name a hold, like a route id that breaks the id rule.
        if (HoldIds.ProviderOf(holdId) is not { } providerId)
        {
            return ApiResults.NotFound("Hold");
        }

        var result = await Calendar(grains, clinicId, providerId).ReleaseHoldAsync(holdId);
        AuditDetails.Of(http).PatientId = result.Value?.PatientId;
        return ApiResults.From(result, _ => TypedResults.NoContent());
    }

    private static IProviderScheduleGrain Calendar(IGrainFactory grains, string clinicId, string providerId) =>
        grains.GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(clinicId, providerId));
}
