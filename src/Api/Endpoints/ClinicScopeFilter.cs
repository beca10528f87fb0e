using ClinicCluster.Clinics;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// Every route under /api/clinics/{clinicId} first resolves the clinic: 404 when it does not exist.
/// Authorization has already run, so a caller from another clinic got 403 and learnt nothing.
/// </summary>
public sealed class ClinicScopeFilter(IGrainFactory grains) : IEndpointFilter
{
    private static readonly object ClinicKey = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var clinicId = (string)http.GetRouteValue("clinicId")!;
        var clinic = await grains.GetGrain<IClinicGrain>(clinicId).GetAsync();
        if (clinic is null)
        {
            return Problems.ApiResults.NotFound("Clinic");
        }

        http.Items[ClinicKey] = clinic;
        return await next(context);
    }

    /// <summary>The clinic resolved for this request.</summary>
    public static Clinic ClinicOf(HttpContext http) =>
        http.Items[ClinicKey] as Clinic ?? throw new InvalidOperationException("The route is not under a clinic scope.");
}
