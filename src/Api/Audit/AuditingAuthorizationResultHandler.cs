using ClinicCluster.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace ClinicCluster.Api.Audit;

/// <summary>
/// Denied attempts never reach the endpoint, so the authorization middleware records them: a
/// missing or bad token on a PHI endpoint as a login failure, a refused role or clinic as denied.
/// Repeated denials from one source are counted into one event by <see cref="DenialAggregator"/>.
/// </summary>
public sealed class AuditingAuthorizationResultHandler(IAuditTrail trail, AuditEventFactory events, DenialAggregator denials) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if ((authorizeResult.Challenged || authorizeResult.Forbidden)
            && context.GetEndpoint()?.Metadata.GetMetadata<AuditDeclaration>() is { } declaration)
        {
            var status = authorizeResult.Challenged ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            var denial = events.Create(context, declaration, AuditOutcome.Denied, status, resultValue: null);
            if (denials.Admit(denial))
            {
                await trail.RecordAsync(denial, context.RequestAborted);
            }
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
