using ClinicCluster.Api.Audit;
using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;

namespace ClinicCluster.Api.Endpoints;

/// <summary>Route conventions shared by the endpoint files.</summary>
public static class RouteBuilderExtensions
{
    /// <summary>The group under one clinic: /api/clinics/{clinicId}, which must exist.</summary>
    public static RouteGroupBuilder MapClinicGroup(this IEndpointRouteBuilder routes, string tag) =>
        routes.MapGroup("/api/clinics/{clinicId:id}")
            .WithTags(tag)
            .WithClinicFilters()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>
    /// The filters of every route under a clinic, native or FHIR, in this order: the audit
    /// outermost (so a 404 from the clinic scope is audited too), retries, then the clinic scope.
    /// </summary>
    public static RouteGroupBuilder WithClinicFilters(this RouteGroupBuilder group) =>
        group.AddEndpointFilter<AuditFilter>()
            .AddEndpointFilter<TransientRetryFilter>()
            .AddEndpointFilterFactory(ClinicScopeFilter.Create);

    /// <summary>Declares the audit event this PHI endpoint emits (exactly one per request).</summary>
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder route, AuditAction action, string resourceType) =>
        route.WithMetadata(new AuditDeclaration(action, resourceType));

    /// <summary>Names the operation, documents it and requires the permission.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder route, string name, string summary, Permission permission) =>
        route.WithName(name).WithSummary(summary).RequireAuthorization(permission.Policy());
}
