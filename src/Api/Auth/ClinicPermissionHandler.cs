using Microsoft.AspNetCore.Authorization;

namespace ClinicCluster.Api.Auth;

/// <summary>
/// Checks the role's permission and, on routes under a clinic, that the token names that clinic.
/// A caller from another clinic gets 403 whether or not the clinic exists, so existence never leaks.
/// </summary>
public sealed class ClinicPermissionHandler : AuthorizationHandler<ClinicPermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ClinicPermissionRequirement requirement)
    {
        if (!context.User.Has(requirement.Permission))
        {
            return Task.CompletedTask;
        }

        var clinicId = (context.Resource as HttpContext)?.GetRouteValue("clinicId") as string;
        if (clinicId is null || context.User.CanActIn(clinicId))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
