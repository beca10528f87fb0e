namespace ClinicCluster.Api.Auth;

/// <summary>
/// Least privilege per role: front desk runs the calendar and registration, clinicians read the
/// chart and close visits but do not configure the clinic, auditors see configuration and the audit
/// trail (ids, never demographics) but no PHI, administrators do everything within their clinics.
/// </summary>
public static class RolePermissions
{
    private static readonly Dictionary<string, HashSet<Permission>> Granted = new(StringComparer.Ordinal)
    {
        [Roles.Admin] = [.. Enum.GetValues<Permission>()],
        [Roles.FrontDesk] =
        [
            Permission.ClinicRead, Permission.PatientRead, Permission.PatientWrite, Permission.AppointmentRead,
            Permission.AppointmentBook, Permission.AppointmentAttend,
        ],
        [Roles.Clinician] =
        [
            Permission.ClinicRead, Permission.PatientRead, Permission.AppointmentRead,
            Permission.AppointmentAttend, Permission.AppointmentComplete,
        ],
        [Roles.Auditor] = [Permission.ClinicRead, Permission.AuditRead],
    };

    public static bool Grants(string role, Permission permission) =>
        Granted.TryGetValue(role, out var permissions) && permissions.Contains(permission);

    /// <summary>The authorization policy name for a permission.</summary>
    public static string Policy(this Permission permission) => "permission:" + permission;
}
