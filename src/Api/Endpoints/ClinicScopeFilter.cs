using ClinicCluster.Clinics;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// Every route under /api/clinics/{clinicId} first resolves the clinic: 404 when it does not exist.
/// Authorization has already run, so a caller from another clinic got 403 and learnt nothing.
/// Handlers that take a <see cref="ClinicRoute"/> read the clinic's settings, so for them it is
/// loaded on every request; for the others a clinic already in <see cref="KnownClinics"/> needs no
/// grain call at all (clinics are never deleted).
/// </summary>
public static class ClinicScopeFilter
{
    private static readonly object ClinicKey = new();

    /// <summary>The filter for one endpoint: whether it loads the clinic is decided once, from the handler's parameters.</summary>
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var loadsClinic = context.MethodInfo.GetParameters().Any(p => p.ParameterType == typeof(ClinicRoute));
        var grains = context.ApplicationServices.GetRequiredService<IGrainFactory>();
        var known = context.ApplicationServices.GetRequiredService<KnownClinics>();
        return async invocation =>
        {
            var http = invocation.HttpContext;
            var clinicId = (string)http.GetRouteValue("clinicId")!;
            if (!loadsClinic && known.Contains(clinicId))
            {
                return await next(invocation);
            }

            var clinic = await grains.GetGrain<IClinicGrain>(clinicId).GetAsync();
            if (clinic is null)
            {
                return Problems.ApiResults.NotFound("Clinic");
            }

            known.Add(clinicId);
            http.Items[ClinicKey] = clinic;
            return await next(invocation);
        };
    }

    /// <summary>The clinic resolved for this request (only for handlers that take a <see cref="ClinicRoute"/>).</summary>
    public static Clinic ClinicOf(HttpContext http) =>
        http.Items[ClinicKey] as Clinic ?? throw new InvalidOperationException("The route is not under a clinic scope.");
}
