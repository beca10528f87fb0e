using Microsoft.AspNetCore.Authorization;

namespace ClinicCluster.Fhir.Smart;

/// <summary>The token's SMART scopes must grant <see cref="Interaction"/> on <see cref="ResourceType"/> (null: nothing can).</summary>
public sealed record SmartScopeRequirement(string? ResourceType, SmartInteraction Interaction) : IAuthorizationRequirement
{
    /// <summary>A route whose scope we cannot name: no token passes it.</summary>
    public static SmartScopeRequirement Unsatisfiable { get; } = new(null, SmartInteraction.None);

    /// <summary>The v2 scope that satisfies it (for the refusal's diagnostics and the advertised scopes).</summary>
    public string? Scope => ResourceType is null ? null : SmartScopes.Format(ResourceType, Interaction);
}
