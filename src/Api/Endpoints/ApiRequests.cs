using ClinicCluster.Clinics;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Api.Endpoints;

/// <summary>Body of POST /api/clinics: the new clinic's id (lower-case letters, digits, hyphens) and settings.</summary>
public sealed record CreateClinicRequest(
    string Id,
    string Name,
    string TimeZone,
    IReadOnlyList<AppointmentType> AppointmentTypes,
    BookingPolicy? Policy = null);

/// <summary>Body of PUT /api/clinics/{clinicId}.</summary>
public sealed record UpdateClinicRequest(
    string Name,
    string TimeZone,
    IReadOnlyList<AppointmentType> AppointmentTypes,
    BookingPolicy Policy);

/// <summary>Body of POST .../appointments/{appointmentId}/reschedule: the new start, with its UTC offset.</summary>
public sealed record RescheduleRequest(DateTimeOffset Start);

/// <summary>
/// Optional body of POST .../appointments/{appointmentId}/cancel: a free-text reason (clinical
/// text) and a coded one, required once the patient is checked in (see docs/api.md for the FHIR mapping).
/// </summary>
public sealed record CancelRequest(string? Reason = null, CancellationReasonCode? ReasonCode = null);
