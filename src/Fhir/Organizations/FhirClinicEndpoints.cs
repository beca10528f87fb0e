using ClinicCluster.Audit;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir.Organizations;

/// <summary>
/// Organization and Location read: the clinic of this base, under its own id (any other id is 404).
/// Clinic read, as the native clinic read; each request one audit event.
/// </summary>
public static class FhirClinicEndpoints
{
    public static void Map(RouteGroupBuilder fhir, IFhirHost host)
    {
        host.Secure(fhir.MapGet("/Organization/{id}", (string clinicId, string id, IGrainFactory grains) =>
            ReadAsync(grains, clinicId, id, "Organization", ClinicMapper.Organization)).WithName("FhirReadOrganization"), FhirAccess.ClinicRead, AuditAction.Read, "Organization");
        host.Secure(fhir.MapGet("/Location/{id}", (string clinicId, string id, IGrainFactory grains) =>
            ReadAsync(grains, clinicId, id, "Location", ClinicMapper.Location)).WithName("FhirReadLocation"), FhirAccess.ClinicRead, AuditAction.Read, "Location");
    }

    private static async Task<IResult> ReadAsync(IGrainFactory grains, string clinicId, string id, string type, Func<Clinic, Resource> map)
    {
        if (!Identifiers.IsValid(id))
        {
            return FhirOutcomes.Invalid($"The {type} id is not a valid id.");
        }

        return id == clinicId && await grains.GetGrain<IClinicGrain>(clinicId).GetAsync() is { } clinic
            ? new FhirResult(map(clinic))
            : FhirOutcomes.NotFound(type);
    }
}
