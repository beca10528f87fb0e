using ClinicCluster.Fhir.Appointments;
using ClinicCluster.Fhir.AuditEvents;
using ClinicCluster.Fhir.Conformance;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Fhir.Operations;
using ClinicCluster.Fhir.Organizations;
using ClinicCluster.Fhir.Patients;
using ClinicCluster.Fhir.Providers;
using ClinicCluster.Fhir.Slots;
using ClinicCluster.Fhir.Smart;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicCluster.Fhir;

/// <summary>Wires the FHIR R4 facade into a host: <c>AddFhir</c> for services, <c>MapFhir</c> for the routes.</summary>
public static class FhirExtensions
{
    /// <summary>The facade's services, with the host's adapter; the FHIR problem writer goes first so /fhir errors are OperationOutcomes.</summary>
    public static IServiceCollection AddFhir<THost>(this IServiceCollection services)
        where THost : class, IFhirHost
    {
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, FhirProblemWriter>());
        services.AddSingleton<IFhirHost, THost>();
        services.AddSingleton<SearchCursors>();
        services.AddSingleton<IAuthorizationHandler, SmartScopeHandler>();
        return services;
    }

    /// <summary>Every FHIR route under <c>/fhir/clinics/{clinicId}</c>; none in the native OpenAPI document (the CapabilityStatement describes them).</summary>
    public static IEndpointRouteBuilder MapFhir(this IEndpointRouteBuilder routes)
    {
        var host = routes.ServiceProvider.GetRequiredService<IFhirHost>();
        FhirJson.WarmUp();
        var fhir = host.MapClinicGroup(routes, FhirBase.Route)
            .AddEndpointFilter<FhirFormatFilter>()
            .RequireSmartScopes()
            .ExcludeFromDescription();

        // Conformance needs no login and discloses nothing, so it is not audited.
        fhir.MapGet("/metadata", (string clinicId, HttpContext http) => new FhirResult(Capabilities.Of(FhirBase.Of(http.Request, clinicId))))
            .WithName("FhirCapabilities").AllowAnonymous();
        SmartConfiguration.Map(fhir);
        FhirPatientEndpoints.Map(fhir, host);
        FhirAppointmentEndpoints.Map(fhir, host);
        FhirProviderEndpoints.Map(fhir, host);

        // Versions, writes and the scheduling operations (issue 23), one file each.
        FhirAppointmentUpdate.Map(fhir, host);
        FhirAppointmentCreate.Map(fhir, host);
        FhirAppointmentSearch.Map(fhir, host);
        FhirFindOperation.Map(fhir, host);
        FhirBookOperation.Map(fhir, host);
        FhirUnsupported.Map(fhir, host);
        FhirAuditEventEndpoints.Map(fhir, host);

        // The clinic's directory and its slots (issue 23): Practitioner/Schedule search, Slot, Organization/Location.
        FhirProviderSearch.Map(fhir, host);
        FhirSlotEndpoints.Map(fhir, host);
        FhirClinicEndpoints.Map(fhir, host);
        return routes;
    }
}
