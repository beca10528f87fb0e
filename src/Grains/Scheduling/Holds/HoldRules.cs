using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>The checkout-hold rules: how long a hold may last and the refusals it causes.</summary>
public static class HoldRules
{
    public const int DefaultMinutes = HoldLimits.DefaultMinutes;
    public const int MaxMinutes = HoldLimits.MaxMinutes;

    /// <summary>Another checkout holds (part of) the range.</summary>
    public static readonly Error SlotHeld = Error.Conflict("slot-held",
        "The slot is held for another checkout; it frees when that hold is released or expires.");

    /// <summary>The booking names a hold this calendar does not have (any more).</summary>
    public static readonly Error HoldNotFound = Error.Conflict("hold-not-found",
        "The hold has expired, was released or used, or is not a hold of this provider.");

    /// <summary>The booking names a hold taken for another patient, visit type or start.</summary>
    public static readonly Error HoldMismatch = Error.Conflict("hold-mismatch",
        "The hold was taken for another patient, visit type or start.");

    /// <summary>Field errors of a hold request, or null.</summary>
    public static Error? Validate(PlaceHold command) => new ValidationErrors()
        .Id(command.PatientId, "patientId", "Must be a patient id.")
        .Id(command.ProviderId, "providerId", "Must be a provider id.")
        .Text(command.AppointmentType, "appointmentType", 64)
        .When(command.Minutes is < 1 or > MaxMinutes, "minutes", $"Must be between 1 and {MaxMinutes}.")
        .ToError();

    /// <summary>How long the hold lasts: the requested minutes, or the default, of <paramref name="minute"/> each (Scheduling:HoldMinute).</summary>
    public static TimeSpan Duration(PlaceHold command, TimeSpan minute) => minute * (command.Minutes ?? DefaultMinutes);
}
