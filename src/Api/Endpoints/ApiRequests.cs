using ClinicCluster.Clinics;

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

/// <summary>Optional body of POST .../appointments/{appointmentId}/cancel.</summary>
public sealed record CancelRequest(string? Reason = null);
