namespace ClinicCluster.Api.Auth;

/// <summary>The roles a token can grant, each in a named clinic (see <see cref="ClinicClaims.ClinicRoles"/>).</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string FrontDesk = "frontdesk";
    public const string Clinician = "clinician";
    public const string Auditor = "auditor";

    /// <summary>Reviews the audit trail, including the administrators' own access; holds no other right.</summary>
    public const string SecurityOfficer = "security-officer";

    public static IReadOnlyList<string> All { get; } = [Admin, FrontDesk, Clinician, Auditor, SecurityOfficer];
}
