using ClinicCluster.Patients;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Api.Endpoints;

/// <summary>Open slots of one provider for one visit type.</summary>
public sealed record AvailabilityResponse(string ProviderId, string AppointmentType, string TimeZone, IReadOnlyList<Slot> Slots);

/// <summary>Patients matching a search, at most the requested limit.</summary>
public sealed record PatientSearchResponse(IReadOnlyList<PatientSummary> Items);

/// <summary>A list of appointments, ordered by start.</summary>
public sealed record AppointmentListResponse(IReadOnlyList<AppointmentSummary> Items);

/// <summary>One page of appointments, ordered by start, then id; <c>nextCursor</c> is null on the last page.</summary>
public sealed record AppointmentPageResponse(IReadOnlyList<AppointmentSummary> Items, string? NextCursor);
