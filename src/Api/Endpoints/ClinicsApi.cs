using System.Security.Claims;
using ClinicCluster.Api.Auth;
using ClinicCluster.Api.Edge;
using ClinicCluster.Api.Problems;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Api.Endpoints;

/// <summary>Clinics, their providers and providers' open slots. No PHI passes here.</summary>
public static class ClinicsApi
{
    public static IEndpointRouteBuilder MapClinicsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/clinics", CreateClinic).WithTags("Clinics").AcceptsLargeBody()
            .Describe("CreateClinic", "Create a clinic", Permission.ClinicManage)
            .Produces<Clinic>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var clinic = routes.MapClinicGroup("Clinics");
        clinic.MapGet("/", GetClinic)
            .Describe("GetClinic", "Get a clinic's settings and providers", Permission.ClinicRead)
            .Produces<Clinic>();
        clinic.MapPut("/", UpdateClinic).AcceptsLargeBody()
            .Describe("UpdateClinic", "Replace a clinic's settings", Permission.ClinicManage)
            .Produces<Clinic>().ProducesValidationProblem();
        clinic.MapPost("/providers", AddProvider).AcceptsLargeBody()
            .Describe("AddProvider", "Add a provider with working hours and time off", Permission.ClinicManage)
            .WithMetadata(new NotIdempotent())
            .Produces<Provider>(StatusCodes.Status201Created).ProducesValidationProblem();
        clinic.MapGet("/providers", ListProviders)
            .Describe("ListProviders", "List a clinic's providers", Permission.ClinicRead)
            .Produces<IReadOnlyList<Provider>>();
        clinic.MapGet("/providers/{providerId:id}", GetProvider)
            .Describe("GetProvider", "Get a provider", Permission.ClinicRead)
            .Produces<Provider>();
        clinic.MapPut("/providers/{providerId:id}", UpdateProvider).AcceptsLargeBody()
            .Describe("UpdateProvider", "Replace a provider's name, specialty, hours and time off", Permission.ClinicManage)
            .Produces<Provider>().ProducesValidationProblem();
        clinic.MapGet("/providers/{providerId:id}/availability", GetAvailability)
            .Describe("GetAvailability", "Open slots of a provider for a visit type between two local dates", Permission.ClinicRead)
            .Produces<AvailabilityResponse>().ProducesValidationProblem();
        return routes;
    }

    private static async Task<IResult> CreateClinic(CreateClinicRequest request, ClaimsPrincipal caller, IGrainFactory grains)
    {
        if (!Identifiers.IsValid(request.Id))
        {
            return ApiResults.Invalid("id", "Lower-case letters, digits and hyphens, at most 64 characters.");
        }

        // The new clinic's id comes from the body, so the route-based check could not see it.
        if (!caller.Has(Permission.ClinicManage, request.Id))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "The token does not name this clinic.");
        }

        var settings = new ClinicSettings(request.Name, request.TimeZone, request.AppointmentTypes, request.Policy ?? BookingPolicy.Default);
        var result = await grains.GetGrain<IClinicGrain>(request.Id).CreateAsync(settings);
        return ApiResults.From(result, clinic => TypedResults.Created($"/api/clinics/{clinic.Id}", clinic));
    }

    private static IResult GetClinic([AsParameters] ClinicRoute route) => TypedResults.Ok(route.Clinic);

    private static async Task<IResult> UpdateClinic(string clinicId, UpdateClinicRequest request, IGrainFactory grains)
    {
        var settings = new ClinicSettings(request.Name, request.TimeZone, request.AppointmentTypes, request.Policy);
        return ApiResults.From(await grains.GetGrain<IClinicGrain>(clinicId).UpdateSettingsAsync(settings), TypedResults.Ok);
    }

    private static async Task<IResult> AddProvider(string clinicId, ProviderProfile profile, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IClinicGrain>(clinicId).AddProviderAsync(Identifiers.New("prv"), profile);
        return ApiResults.From(result, provider =>
            TypedResults.Created($"/api/clinics/{clinicId}/providers/{provider.Id}", provider));
    }

    private static IResult ListProviders([AsParameters] ClinicRoute route) => TypedResults.Ok(route.Clinic.Providers);

    private static IResult GetProvider([AsParameters] ClinicRoute route, string providerId) =>
        route.Clinic.Providers.FirstOrDefault(p => p.Id == providerId) is { } provider
            ? TypedResults.Ok(provider)
            : ApiResults.NotFound("Provider");

    private static async Task<IResult> UpdateProvider(string clinicId, string providerId, ProviderProfile profile, IGrainFactory grains) =>
        ApiResults.From(await grains.GetGrain<IClinicGrain>(clinicId).UpdateProviderAsync(providerId, profile), TypedResults.Ok);

    private static async Task<IResult> GetAvailability(
        [AsParameters] ClinicRoute route, string providerId, DateOnly from, DateOnly to, string type, IGrainFactory grains)
    {
        if (FreeText.Problem(type, 64) is { } problem)
        {
            return ApiResults.Invalid("type", problem);
        }

        var result = await grains
            .GetGrain<IProviderScheduleGrain>(ClinicScopedKey.Format(route.ClinicId, providerId))
            .GetAvailabilityAsync(from, to, type);
        var timeZone = route.Clinic.Settings.TimeZone;
        return ApiResults.From(result, slots => TypedResults.Ok(new AvailabilityResponse(providerId, type, timeZone, slots)));
    }
}
