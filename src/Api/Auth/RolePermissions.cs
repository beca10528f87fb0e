namespace ClinicCluster.Api.Auth;

/// <summary>
/// Least privilege per role, within one clinic. Front desk runs the calendar and registration but
/// does not see clinical text (appointment reasons); clinicians read the chart, clinical text
/// included, and close visits but do not configure the clinic or book; administrators manage the
/// clinic, its patients and appointments but do not read the audit trail, so they never review their
/// own access; auditors and security officers read the audit trail (ids, never demographics) and the
/// clinic's configuration, and no PHI.
/// </summary>
public static class RolePermissions
{
    private static readonly Dictionary<string, HashSet<Permission>> Granted = new(StringComparer.Ordinal)
    {
        [Roles.Admin] = [.. Enum.GetValues<Permission>().Where(p => p != Permission.AuditRead)],
        [Roles.FrontDesk] =
        [
            Permission.ClinicRead, Permission.PatientRead, Permission.PatientWrite, Permission.AppointmentRead,
            Permission.AppointmentBook, Permission.AppointmentAttend,
        ],
        [Roles.Clinician] =
        [
            Permission.ClinicRead, Permission.PatientRead, Permission.AppointmentRead, Permission.ClinicalTextRead,
            Permission.AppointmentAttend, Permission.AppointmentComplete,
        ],
        [Roles.Auditor] = [Permission.ClinicRead, Permission.AuditRead],
        [Roles.SecurityOfficer] = [Permission.ClinicRead, Permission.AuditRead],
    };

    public static bool Grants(string role, Permission permission) =>
        Granted.TryGetValue(role, out var permissions) && permissions.Contains(permission);

    /// <summary>The authorization policy name for a permission.</summary>
    public static string Policy(this Permission permission) => "permission:" + permission;
}
