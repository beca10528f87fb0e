using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace ClinicCluster.Fhir.Smart;

/// <summary>
/// Effective access on a FHIR route = the token's SMART scopes ∩ the caller's role in the clinic:
/// the route's native permission policy checks the role, this handler the scope, and both must
/// succeed. A refusal is the host's ordinary 403 (audited as denied by the authorization result
/// handler); it is marked on the request so the OperationOutcome can say a scope was missing.
/// </summary>
public sealed class SmartScopeHandler : AuthorizationHandler<SmartScopeRequirement>
{
    private const string MissingScopeItem = "fhir.smart.missing-scope";

    /// <summary>The scope a refused request lacked, or null when no scope was missing.</summary>
    public static string? MissingScope(HttpContext http) => http.Items[MissingScopeItem] as string;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SmartScopeRequirement requirement)
    {
        if (requirement.ResourceType is { } type && SmartScopes.Of(context.User).Allows(type, requirement.Interaction))
        {
            context.Succeed(requirement);
        }
        else if (context.User.Identity?.IsAuthenticated == true && context.Resource is HttpContext http)
        {
            http.Items[MissingScopeItem] = requirement.Scope ?? "";
        }

        return Task.CompletedTask;
    }
}
