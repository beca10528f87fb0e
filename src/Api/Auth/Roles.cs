namespace ClinicCluster.Api.Auth;

/// <summary>The roles a token can carry.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string FrontDesk = "frontdesk";
    public const string Clinician = "clinician";
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [Admin, FrontDesk, Clinician, Auditor];
}
