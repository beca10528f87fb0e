namespace ClinicCluster.Api.Auth;

/// <summary>What an endpoint needs; roles grant permissions in <see cref="RolePermissions"/>.</summary>
public enum Permission
{
    /// <summary>Read a clinic's configuration, providers and open slots (no PHI).</summary>
    ClinicRead,

    /// <summary>Create clinics, change settings, add and change providers.</summary>
    ClinicManage,

    /// <summary>Read patient demographics and search patients (PHI).</summary>
    PatientRead,

    /// <summary>Register patients and change their demographics (PHI).</summary>
    PatientWrite,

    /// <summary>Read appointments and appointment lists (PHI: who sees whom, and why).</summary>
    AppointmentRead,

    /// <summary>See an appointment's reason and cancellation reason (clinical text); without it they are redacted.</summary>
    ClinicalTextRead,

    /// <summary>Book, move and cancel appointments.</summary>
    AppointmentBook,

    /// <summary>Check patients in and mark no-shows.</summary>
    AppointmentAttend,

    /// <summary>Mark a visit fulfilled.</summary>
    AppointmentComplete,

    /// <summary>Read the PHI access audit trail and export a patient's accounting of disclosures.</summary>
    AuditRead,
}
