using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace ClinicCluster.Fhir.Smart;

/// <summary>
/// The scope a FHIR route needs, from its path and method alone, so every route under the FHIR base
/// (today's and those added later) is covered without a declaration that could be forgotten:
/// <c>GET [type]/{id}</c> (and <c>_history</c>) read, <c>GET [type]</c> and <c>_search</c> search,
/// <c>POST [type]</c> create, <c>PUT</c>/<c>PATCH</c> update, <c>DELETE</c> delete; operations by
/// name (<c>$book</c> creates an Appointment, <c>$find</c> searches them). Anything else needs a
/// scope no token can hold (fails closed).
/// </summary>
public static class SmartRouteScopes
{
    private static readonly Dictionary<string, (string Type, SmartInteraction Interaction)> Operations = new(StringComparer.Ordinal)
    {
        ["$book"] = ("Appointment", SmartInteraction.Create),
        ["$find"] = ("Appointment", SmartInteraction.Search),
    };

    /// <summary>The requirement of a route; <paramref name="segments"/> follow the FHIR base, a parameter segment as null.</summary>
    public static SmartScopeRequirement For(string method, IReadOnlyList<string?> segments)
    {
        if (segments.Count == 0 || segments[0] is not { } type || !IsType(type))
        {
            return SmartScopeRequirement.Unsatisfiable;
        }

        var rest = segments.Skip(1).ToList();
        if (rest.Any(s => s is not null && s.StartsWith('$')))
        {
            // An operation is the last segment ([type]/$op or [type]/{id}/$op), named in the table.
            return rest[^1] is { } operation && Operations.TryGetValue(operation, out var op) && op.Type == type
                ? new SmartScopeRequirement(op.Type, op.Interaction)
                : SmartScopeRequirement.Unsatisfiable;
        }

        var interaction = (rest, method) switch
        {
            ([], "GET") => SmartInteraction.Search,
            ([], "POST") => SmartInteraction.Create,
            (["_search"], "GET" or "POST") => SmartInteraction.Search,
            ([null], "GET") => SmartInteraction.Read,
            ([null], "PUT" or "PATCH") => SmartInteraction.Update,
            ([null], "DELETE") => SmartInteraction.Delete,
            ([null, "_history", ..], "GET") => SmartInteraction.Read,
            _ => SmartInteraction.None,
        };
        return interaction == SmartInteraction.None ? SmartScopeRequirement.Unsatisfiable : new SmartScopeRequirement(type, interaction);
    }

    /// <summary>The requirement of a routed endpoint: its path after the <c>{clinicId}</c> segment.</summary>
    public static SmartScopeRequirement For(IEnumerable<string> methods, RoutePattern pattern)
    {
        var segments = pattern.PathSegments;
        var clinic = segments.ToList().FindIndex(s => s.Parts.OfType<RoutePatternParameterPart>().Any(p => p.Name == "clinicId"));
        var after = segments.Skip(clinic + 1)
            .Select(s => s.IsSimple && s.Parts[0] is RoutePatternLiteralPart literal ? literal.Content : null)
            .ToList();
        var requirements = methods.Select(m => For(m.ToUpperInvariant(), after)).Distinct().ToList();
        return clinic < 0 || requirements.Count != 1 ? SmartScopeRequirement.Unsatisfiable : requirements[0];
    }

    private static bool IsType(string segment) =>
        segment.Length is > 0 and <= 64 && segment[0] is >= 'A' and <= 'Z' && segment.All(char.IsAsciiLetter);

    /// <summary>The HTTP methods an endpoint answers (none declared: GET, as a FHIR read).</summary>
    internal static IEnumerable<string> MethodsOf(IEnumerable<object> metadata) =>
        metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods).DefaultIfEmpty(HttpMethods.Get);
}
