using Microsoft.AspNetCore.Authorization;

namespace ClinicCluster.Api.Auth;

/// <summary>
/// On routes under a clinic, a role the token grants in that clinic must carry the permission: an
/// admin of clinic B who is front desk in clinic A acts as front desk in A. A caller without a grant
/// in the clinic gets 403 whether or not the clinic exists, so existence never leaks. Routes that
/// name no clinic need the permission in some clinic; their handler checks the clinic they act on.
/// </summary>
public sealed class ClinicPermissionHandler : AuthorizationHandler<ClinicPermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ClinicPermissionRequirement requirement)
    {
        var clinicId = (context.Resource as HttpContext)?.GetRouteValue("clinicId") as string;
        var granted = clinicId is null
            ? context.User.HasAnywhere(requirement.Permission)
            : context.User.Has(requirement.Permission, clinicId);
        if (granted)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
