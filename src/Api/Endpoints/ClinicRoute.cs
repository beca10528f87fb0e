using ClinicCluster.Clinics;

namespace ClinicCluster.Api.Endpoints;

/// <summary>The clinic a request is scoped to: its route id and the clinic that <see cref="ClinicScopeFilter"/> resolved.</summary>
public readonly record struct ClinicRoute(string ClinicId, HttpContext Http)
{
    public Clinic Clinic => ClinicScopeFilter.ClinicOf(Http);
}
