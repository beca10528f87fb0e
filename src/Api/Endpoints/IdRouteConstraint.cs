using ClinicCluster.Common;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// Route segments that name a clinic, patient, provider or appointment must look like an id.
/// Anything else cannot exist, so it does not match and the caller gets 404.
/// </summary>
public sealed class IdRouteConstraint : IRouteConstraint
{
    public const string Name = "id";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && Identifiers.IsValid(value as string);
}
