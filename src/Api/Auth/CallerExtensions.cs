using System.Security.Claims;

namespace ClinicCluster.Api.Auth;

/// <summary>Questions about the authenticated caller.</summary>
public static class CallerExtensions
{
    public static string Subject(this ClaimsPrincipal caller) =>
        caller.FindFirstValue(ClinicClaims.Subject) ?? throw new InvalidOperationException("The token has no subject.");

    /// <summary>The roles the token grants in this clinic (its own grants and "*" grants).</summary>
    public static IEnumerable<string> RolesIn(this ClaimsPrincipal caller, string clinicId) =>
        caller.FindAll(ClinicClaims.ClinicRoles)
            .Select(c => ClinicClaims.ParseGrant(c.Value))
            .Where(g => g is { } grant && (grant.ClinicId == clinicId || grant.ClinicId == ClinicClaims.AnyClinic))
            .Select(g => g!.Value.Role)
            .Distinct(StringComparer.Ordinal);

    /// <summary>Whether a role granted in this clinic carries the permission.</summary>
    public static bool Has(this ClaimsPrincipal caller, Permission permission, string clinicId) =>
        caller.RolesIn(clinicId).Any(role => RolePermissions.Grants(role, permission));

    /// <summary>Whether any grant, in any clinic, carries the permission (routes that name no clinic).</summary>
    public static bool HasAnywhere(this ClaimsPrincipal caller, Permission permission) =>
        caller.FindAll(ClinicClaims.ClinicRoles)
            .Select(c => ClinicClaims.ParseGrant(c.Value))
            .Any(g => g is { } grant && RolePermissions.Grants(grant.Role, permission));
}
