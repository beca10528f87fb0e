using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir.Smart;

/// <summary>
/// Puts the SMART scope requirement on every endpoint of the FHIR group, derived from its route
/// (<see cref="SmartRouteScopes"/>), beside the endpoint's own permission policy (the policies
/// combine: both must pass). Anonymous routes (metadata, smart-configuration) stay anonymous; routes
/// that only answer not-supported (<see cref="AnswersNotSupported"/>) need no scope.
/// </summary>
public static class SmartScopeConvention
{
    public static TBuilder RequireSmartScopes<TBuilder>(this TBuilder group)
        where TBuilder : IEndpointConventionBuilder
    {
        // Finally: after the endpoints' own conventions, so their metadata (AnswersNotSupported) is there to read.
        group.Finally(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder route && !route.Metadata.OfType<AnswersNotSupported>().Any())
            {
                var requirement = SmartRouteScopes.For(SmartRouteScopes.MethodsOf(route.Metadata), route.RoutePattern);
                endpoint.Metadata.Add(requirement);
                endpoint.Metadata.Add(new AuthorizeAttribute());
                endpoint.Metadata.Add(new AuthorizationPolicyBuilder().AddRequirements(requirement).Build());
            }
        });
        return group;
    }
}
