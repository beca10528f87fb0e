using System.Security.Claims;

namespace ClinicCluster.Api.Auth;

/// <summary>Questions about the authenticated caller.</summary>
public static class CallerExtensions
{
    public static string Subject(this ClaimsPrincipal caller) =>
        caller.FindFirstValue(ClinicClaims.Subject) ?? throw new InvalidOperationException("The token has no subject.");

    public static bool CanActIn(this ClaimsPrincipal caller, string clinicId) =>
        caller.FindAll(ClinicClaims.Clinic).Any(c => c.Value == clinicId || c.Value == ClinicClaims.AnyClinic);

    public static bool Has(this ClaimsPrincipal caller, Permission permission) =>
        caller.FindAll(ClinicClaims.Role).Any(role => RolePermissions.Grants(role.Value, permission));
}
