namespace ClinicCluster.Api.Auth;

/// <summary>The claims a caller's token carries.</summary>
public static class ClinicClaims
{
    public const string Subject = "sub";
    public const string Role = "role";

    /// <summary>A clinic the caller may act in; repeated once per clinic. "*" means every clinic.</summary>
    public const string Clinic = "clinic";

    public const string AnyClinic = "*";
}
