using ClinicCluster.Audit;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir.Providers;

/// <summary>
/// Practitioner and Schedule read, one of each per provider, from the clinic grain as the native
/// provider read. No PHI, but each request is one audit event as every FHIR resource request (decision 0050).
/// </summary>
public static class FhirProviderEndpoints
{
    public static void Map(RouteGroupBuilder fhir, IFhirHost host)
    {
        host.Secure(fhir.MapGet("/Practitioner/{providerId}", (string clinicId, string providerId, IGrainFactory grains) =>
            ReadAsync(grains, clinicId, providerId, "Practitioner", ProviderMapper.Practitioner)).WithName("FhirReadPractitioner"), FhirAccess.ClinicRead, AuditAction.Read, "Practitioner");
        host.Secure(fhir.MapGet("/Schedule/{providerId}", (string clinicId, string providerId, IGrainFactory grains) =>
            ReadAsync(grains, clinicId, providerId, "Schedule", ProviderMapper.Schedule)).WithName("FhirReadSchedule"), FhirAccess.ClinicRead, AuditAction.Read, "Schedule");
    }

    private static async Task<IResult> ReadAsync(IGrainFactory grains, string clinicId, string providerId, string type, Func<Provider, Resource> map)
    {
        if (!Identifiers.IsValid(providerId))
        {
            return FhirOutcomes.Invalid($"The {type} id is not a valid id.");
        }

        var clinic = await grains.GetGrain<IClinicGrain>(clinicId).GetAsync();
        return clinic?.Providers.FirstOrDefault(p => p.Id == providerId) is { } provider
            ? new FhirResult(map(provider))
            : FhirOutcomes.NotFound(type);
    }
}
