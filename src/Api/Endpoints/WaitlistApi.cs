using ClinicCluster.Api.Audit;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Problems;
using ClinicCluster.Audit;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// The waitlist (decision 0045): patients wait for a freed slot; a cancellation, reschedule or
/// no-show offers it to the first entry that fits, as a checkout hold the patient accepts or
/// declines. Every route names patients, so every route is audited.
/// </summary>
public static class WaitlistApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapWaitlistApi(this IEndpointRouteBuilder routes)
    {
        var waitlist = routes.MapClinicGroup("Waitlist").MapGroup("/waitlist").ProducesProblem(StatusCodes.Status409Conflict);
        waitlist.MapPost("/", Join)
            .Describe("JoinWaitlist", "Put a patient on the clinic's waitlist", Permission.AppointmentBook)
            .WithDescription($"`providerId` absent: any provider. `from`/`to`: local dates, inclusive, at most {WaitlistLimits.MaxWindowDays} days. "
                + $"`minimumNoticeMinutes` 0-{WaitlistLimits.MaxNoticeMinutes} (default 0): no offer starts sooner. `priority` 0-{WaitlistLimits.MaxPriority} "
                + "(default 0, higher first; first come, first served within a priority).")
            .Audited(AuditAction.Create, "WaitlistEntry")
            .WithMetadata(new NotIdempotent())
            .Produces<WaitlistEntry>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        waitlist.MapGet("/", List)
            .Describe("ListWaitlist", "The waiting entries in offer order and the recent offers", Permission.AppointmentRead)
            .WithDescription($"`limit` 1-{MaxLimit} (default {DefaultLimit}) bounds each list.")
            .Audited(AuditAction.Search, "WaitlistEntry")
            .Produces<WaitlistView>().ProducesValidationProblem();
        waitlist.MapDelete("/{entryId:id}", Remove)
            .Describe("LeaveWaitlist", "Take an entry off the waitlist (its open offer is declined)", Permission.AppointmentBook)
            .Audited(AuditAction.Delete, "WaitlistEntry")
            .Produces(StatusCodes.Status204NoContent);
        waitlist.MapPost("/offers/{offerId:id}/accept", Accept)
            .Describe("AcceptWaitlistOffer", "Book the offered slot", Permission.AppointmentBook)
            .WithDescription("Books through the offer's hold; a repeated accept answers the same appointment. 409 problems: "
                + "`offer-closed` (declined, expired or lost), `offer-lost` (the slot could not be booked).")
            .Audited(AuditAction.Create, "Appointment")
            .Produces<WaitlistOffer>();
        waitlist.MapPost("/offers/{offerId:id}/decline", Decline)
            .Describe("DeclineWaitlistOffer", "Decline an offer; the slot goes to the next entry", Permission.AppointmentBook)
            .Audited(AuditAction.Update, "WaitlistOffer")
            .Produces<WaitlistOffer>();
        return routes;
    }

    private static async Task<IResult> Join(string clinicId, JoinWaitlist request, HttpContext http, IGrainFactory grains)
    {
        AuditDetails.Of(http).PatientId = request.PatientId;
        var result = await Waitlist(grains, clinicId).JoinAsync(request);
        return ApiResults.From(result, entry => TypedResults.Created($"/api/clinics/{clinicId}/waitlist/{entry.Id}", entry));
    }

    private static async Task<IResult> List(string clinicId, int? limit, HttpContext http, IGrainFactory grains)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return ApiResults.Invalid("limit", $"Must be between 1 and {MaxLimit}.");
        }

        var view = await Waitlist(grains, clinicId).ListAsync();
        var take = limit ?? DefaultLimit;
        var page = new WaitlistView(view.Entries.Take(take).ToList(), view.Offers.Take(take).ToList());
        var audit = AuditDetails.Of(http);
        audit.ResultCount = page.Entries.Count + page.Offers.Count;
        audit.Disclosed(page.Entries.Select(e => e.PatientId).Concat(page.Offers.Select(o => o.PatientId)));
        return TypedResults.Ok(page);
    }

    private static async Task<IResult> Remove(string clinicId, string entryId, HttpContext http, IGrainFactory grains)
    {
        var result = await Waitlist(grains, clinicId).RemoveAsync(entryId);
        AuditDetails.Of(http).PatientId = result.Value?.PatientId;
        return ApiResults.From(result, _ => TypedResults.NoContent());
    }

    private static async Task<IResult> Accept(string clinicId, string offerId, HttpContext http, IGrainFactory grains) =>
        Audited(http, await Waitlist(grains, clinicId).AcceptAsync(offerId));

    private static async Task<IResult> Decline(string clinicId, string offerId, HttpContext http, IGrainFactory grains) =>
        Audited(http, await Waitlist(grains, clinicId).DeclineAsync(offerId));

    private static IResult Audited(HttpContext http, ClinicCluster.Common.Result<WaitlistOffer> result)
    {
        AuditDetails.Of(http).PatientId = result.Value?.PatientId;
        return ApiResults.From(result, TypedResults.Ok);
    }

    private static IWaitlistGrain Waitlist(IGrainFactory grains, string clinicId) => grains.GetGrain<IWaitlistGrain>(clinicId);
}
