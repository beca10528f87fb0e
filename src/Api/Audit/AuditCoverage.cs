using ClinicCluster.Api.Auth;
using Microsoft.AspNetCore.Authorization;

namespace ClinicCluster.Api.Audit;

/// <summary>
/// An audit that cannot be forgotten: every endpoint whose permission reaches PHI must declare its
/// audit event, or the API does not start (and so every test fails).
/// </summary>
public static class AuditCoverage
{
    private static readonly HashSet<string> PhiPolicies = new(
        new[]
        {
            Permission.PatientRead, Permission.PatientWrite, Permission.AppointmentRead, Permission.AppointmentBook,
            Permission.AppointmentAttend, Permission.AppointmentComplete, Permission.AuditRead,
        }.Select(p => p.Policy()),
        StringComparer.Ordinal);

    /// <summary>The names of PHI endpoints without an audit declaration.</summary>
    public static IReadOnlyList<string> Undeclared(IEnumerable<Endpoint> endpoints) =>
        endpoints
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is { } p && PhiPolicies.Contains(p)))
            .Where(e => e.Metadata.GetMetadata<AuditDeclaration>() is null)
            .Select(e => e.DisplayName ?? "?")
            .ToList();

    public static void EnsureDeclared(WebApplication app)
    {
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints);
        var missing = Undeclared(endpoints);
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"PHI endpoints without an audit declaration (add .Audited(...)): {string.Join(", ", missing)}");
        }
    }
}
