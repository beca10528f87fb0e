using ClinicCluster.Patients;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Api.Endpoints;

/// <summary>Open slots of one provider for one visit type.</summary>
public sealed record AvailabilityResponse(string ProviderId, string AppointmentType, string TimeZone, IReadOnlyList<Slot> Slots);

/// <summary>Patients matching a search, at most the requested limit.</summary>
public sealed record PatientSearchResponse(IReadOnlyList<PatientSummary> Items);

/// <summary>A list of appointments, ordered by start.</summary>
public sealed record AppointmentListResponse(IReadOnlyList<AppointmentSummary> Items);
