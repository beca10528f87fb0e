using System.Security.Claims;

namespace ClinicCluster.Fhir.Smart;

/// <summary>The SMART v2 interactions a resource scope can grant, in the order they are written (<c>cruds</c>).</summary>
[Flags]
public enum SmartInteraction
{
    None = 0,
    Create = 1,
    Read = 2,
    Update = 4,
    Delete = 8,
    Search = 16,
}

/// <summary>One <c>user/{type}.{cruds}</c> scope: a resource type (or <c>*</c>) and the interactions it grants.</summary>
public sealed record SmartGrant(string ResourceType, SmartInteraction Interactions);

/// <summary>
/// The SMART on FHIR v2 scopes of a token (the space-separated <c>scope</c> claim, RFC 9068),
/// reduced to what we implement: <c>user/</c> resource scopes without query constraints. A token
/// that asks for anything narrower that we cannot enforce exactly (a <c>patient/</c> or
/// <c>system/</c> scope, a <c>?</c> constraint, a v1 or malformed resource scope) is refused as a
/// whole rather than read as something wider or narrower than it says. Other scopes (<c>openid</c>,
/// <c>fhirUser</c>, <c>launch</c>, <c>offline_access</c>) grant no access here and are ignored.
/// </summary>
public sealed class SmartScopes
{
    public const string ClaimType = "scope";

    private static readonly SmartScopes RefusedScopes = new([], refused: true);

    private SmartScopes(IReadOnlyList<SmartGrant> grants, bool refused)
    {
        Grants = grants;
        Refused = refused;
    }

    public IReadOnlyList<SmartGrant> Grants { get; }

    /// <summary>True when the token carries a resource scope we do not implement: it grants nothing.</summary>
    public bool Refused { get; }

    /// <summary>
    /// The scopes of a token's one <c>scope</c> claim are parsed once per distinct claim value, not on
    /// every request: a client sends the same token many times (bounded: cleared when full).
    /// </summary>
    public static SmartScopes Of(ClaimsPrincipal user)
    {
        var claim = user.FindFirst(ClaimType);
        if (claim is null || user.FindAll(ClaimType).Skip(1).Any())
        {
            return Parse(user.FindAll(ClaimType).Select(c => c.Value));
        }

        if (Parsed.TryGetValue(claim.Value, out var known))
        {
            return known;
        }

        if (Parsed.Count >= MaxParsed)
        {
            Parsed.Clear();
        }

        return Parsed[claim.Value] = Parse([claim.Value]);
    }

    private const int MaxParsed = 1_024;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SmartScopes> Parsed = new(StringComparer.Ordinal);

    public static SmartScopes Parse(IEnumerable<string> claimValues)
    {
        var grants = new List<SmartGrant>();
        foreach (var scope in claimValues.SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!IsResourceScope(scope))
            {
                continue;
            }

            if (ParseUserScope(scope) is not { } grant)
            {
                return RefusedScopes;
            }

            grants.Add(grant);
        }

        return new SmartScopes(grants, refused: false);
    }

    /// <summary>Whether some scope grants <paramref name="interaction"/> on <paramref name="resourceType"/>.</summary>
    public bool Allows(string resourceType, SmartInteraction interaction) =>
        !Refused && interaction != SmartInteraction.None
        && Grants.Any(g => (g.ResourceType == "*" || g.ResourceType == resourceType) && (g.Interactions & interaction) == interaction);

    /// <summary>The v2 spelling of a resource scope, e.g. <c>user/Patient.rs</c>.</summary>
    public static string Format(string resourceType, SmartInteraction interactions) =>
        $"user/{resourceType}.{Letters(interactions)}";

    public static string Letters(SmartInteraction interactions) => string.Concat(
        Order.Where(o => (interactions & o.Interaction) != 0).Select(o => o.Letter));

    private static readonly (char Letter, SmartInteraction Interaction)[] Order =
    [
        ('c', SmartInteraction.Create), ('r', SmartInteraction.Read), ('u', SmartInteraction.Update),
        ('d', SmartInteraction.Delete), ('s', SmartInteraction.Search),
    ];

    private static bool IsResourceScope(string scope) =>
        scope.StartsWith("user/", StringComparison.Ordinal) || scope.StartsWith("patient/", StringComparison.Ordinal)
        || scope.StartsWith("system/", StringComparison.Ordinal);

    // user/{Type|*}.{c?r?u?d?s?} with at least one letter, in that order; anything else is null.
    private static SmartGrant? ParseUserScope(string scope)
    {
        if (!scope.StartsWith("user/", StringComparison.Ordinal) || scope.Contains('?'))
        {
            return null;
        }

        var body = scope["user/".Length..];
        var dot = body.IndexOf('.');
        if (dot <= 0 || !IsResourceType(body[..dot]))
        {
            return null;
        }

        var interactions = SmartInteraction.None;
        var next = 0;
        foreach (var letter in body[(dot + 1)..])
        {
            var index = Array.FindIndex(Order, next, o => o.Letter == letter);
            if (index < 0)
            {
                return null;
            }

            interactions |= Order[index].Interaction;
            next = index + 1;
        }

        return interactions == SmartInteraction.None ? null : new SmartGrant(body[..dot], interactions);
    }

    private static bool IsResourceType(string type) =>
        type == "*" || (type.Length <= 64 && type[0] is >= 'A' and <= 'Z' && type.All(char.IsAsciiLetter));
}
