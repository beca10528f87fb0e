using ClinicCluster.Api.Auth;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// Removes clinical text (an appointment's reason and cancellation reason) from appointment
/// responses for callers whose role in the clinic lacks <see cref="Permission.ClinicalTextRead"/>:
/// front desk schedules visits without reading why. The grains return the whole record; what a
/// caller may see is decided here, at the edge, per request.
/// </summary>
public sealed class ClinicalTextFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (http.GetRouteValue("clinicId") is not string clinicId || http.User.Has(Permission.ClinicalTextRead, clinicId))
        {
            return result;
        }

        return result switch
        {
            Microsoft.AspNetCore.Http.HttpResults.Ok<Appointment> { Value: { } value } => TypedResults.Ok(Redact(value)),
            Microsoft.AspNetCore.Http.HttpResults.Created<Appointment> { Value: { } value } created => TypedResults.Created(created.Location, Redact(value)),
            _ => result,
        };
    }

    public static Appointment Redact(Appointment appointment) => appointment with { Reason = null, CancellationReason = null };
}
