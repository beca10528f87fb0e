namespace ClinicCluster.Api.Auth;

/// <summary>The claims a caller's token carries.</summary>
public static class ClinicClaims
{
    public const string Subject = "sub";

    /// <summary>Not used for authorization: a role applies only in the clinic a <see cref="ClinicRoles"/> grant names.</summary>
    public const string Role = "role";

    /// <summary>
    /// One grant per value, "{clinicId}:{role}" (e.g. "clinic-a:frontdesk", "clinic-b:admin"); "*"
    /// as the clinic grants the role in every clinic. A route under a clinic is checked against the
    /// roles granted in that clinic only.
    /// </summary>
    public const string ClinicRoles = "clinic_roles";

    public const string AnyClinic = "*";

    /// <summary>The OAuth scopes, space-separated (RFC 9068); only the FHIR routes read them (SMART v2 <c>user/</c> scopes).</summary>
    public const string Scope = "scope";

    /// <summary>"{clinicId}:{role}", the value of one grant.</summary>
    public static string Grant(string clinicId, string role) => $"{clinicId}:{role}";

    /// <summary>Splits a grant; null when the value is not "{clinic}:{role}".</summary>
    public static (string ClinicId, string Role)? ParseGrant(string value)
    {
        var separator = value.LastIndexOf(':');
        return separator > 0 && separator < value.Length - 1 ? (value[..separator], value[(separator + 1)..]) : null;
    }
}
