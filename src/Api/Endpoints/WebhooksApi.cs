using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Edge;
using ClinicCluster.Api.Problems;
using ClinicCluster.Webhooks;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// Webhook subscriptions (decision 0046, docs/api.md "Webhooks"): clinic administrators register
/// receivers for appointment (and waitlist) events. Secrets are shown once, in the answer that
/// issues them. No PHI passes here: events carry ids and times only.
/// </summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var webhooks = routes.MapClinicGroup("Webhooks").MapGroup("/webhooks");
        webhooks.MapPost("/", CreateSubscription)
            .Describe("CreateWebhookSubscription", "Register a webhook receiver", Permission.ClinicManage)
            .WithDescription("`url`: https (the silo refuses loopback, link-local and private addresses with 400 and the reason); "
                + "`eventTypes`: some of " + string.Join(", ", WebhookEventTypes.All) + ". The answer carries the signing secret, shown only this once.")
            .WithMetadata(new NotIdempotent())
            .Produces<WebhookSecretIssued>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        webhooks.MapGet("/", ListSubscriptions)
            .Describe("ListWebhookSubscriptions", "List a clinic's webhook receivers (without secrets)", Permission.ClinicManage)
            .Produces<IReadOnlyList<WebhookSubscription>>();
        webhooks.MapDelete("/{subscriptionId:id}", DeleteSubscription)
            .Describe("DeleteWebhookSubscription", "Remove a webhook receiver and its queued events", Permission.ClinicManage)
            .Produces(StatusCodes.Status204NoContent);
        webhooks.MapPost("/{subscriptionId:id}/secrets", RotateSecret)
            .Describe("RotateWebhookSecret", "Issue a new signing secret; the previous one keeps signing during the overlap", Permission.ClinicManage)
            .WithMetadata(new NotIdempotent())
            .Produces<WebhookSecretIssued>(StatusCodes.Status201Created);
        webhooks.MapPost("/{subscriptionId:id}/replay", Replay)
            .Describe("ReplayWebhookDeadLetters", "Queue a receiver's dead-lettered events again", Permission.ClinicManage)
            .Produces<WebhookReplay>();
        return routes;
    }

    private static async Task<IResult> CreateSubscription(string clinicId, CreateWebhookSubscription request, IGrainFactory grains)
    {
        var result = await Subscriptions(grains, clinicId).CreateAsync(request);
        return ApiResults.From(result, issued =>
            TypedResults.Created($"/api/clinics/{clinicId}/webhooks/{issued.Subscription.Id}", issued));
    }

    private static async Task<IResult> ListSubscriptions(string clinicId, IGrainFactory grains) =>
        TypedResults.Ok(await Subscriptions(grains, clinicId).ListAsync());

    private static async Task<IResult> DeleteSubscription(string clinicId, string subscriptionId, IGrainFactory grains) =>
        ApiResults.From(await Subscriptions(grains, clinicId).DeleteAsync(subscriptionId), _ => TypedResults.NoContent());

    private static async Task<IResult> RotateSecret(string clinicId, string subscriptionId, IGrainFactory grains) =>
        ApiResults.From(await Subscriptions(grains, clinicId).RotateSecretAsync(subscriptionId), issued =>
            TypedResults.Created($"/api/clinics/{clinicId}/webhooks/{subscriptionId}", issued));

    private static async Task<IResult> Replay(string clinicId, string subscriptionId, IGrainFactory grains) =>
        ApiResults.From(await Subscriptions(grains, clinicId).ReplayAsync(subscriptionId), TypedResults.Ok);

    private static IWebhookSubscriptionsGrain Subscriptions(IGrainFactory grains, string clinicId) =>
        grains.GetGrain<IWebhookSubscriptionsGrain>(clinicId);
}
