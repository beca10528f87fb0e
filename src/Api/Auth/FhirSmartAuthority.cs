using ClinicCluster.Fhir.Smart;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Auth;

/// <summary>
/// The SMART configuration's endpoints are those of <c>Auth:Authority</c>, read from the OpenID
/// metadata the bearer handler already fetches and caches to validate tokens; with development
/// tokens there is no authorization server, so there are none to advertise.
/// </summary>
public sealed class FhirSmartAuthority(IOptions<AuthOptions> auth, IOptionsMonitor<JwtBearerOptions> jwt) : ISmartAuthority
{
    public async Task<SmartAuthorityEndpoints?> DescribeAsync(CancellationToken cancellationToken)
    {
        if (auth.Value.Authority is null
            || jwt.Get(JwtBearerDefaults.AuthenticationScheme).ConfigurationManager is not { } manager)
        {
            return null;
        }

        var metadata = await manager.GetConfigurationAsync(cancellationToken);
        return new SmartAuthorityEndpoints(
            metadata.Issuer,
            metadata.JwksUri,
            metadata.AuthorizationEndpoint,
            metadata.TokenEndpoint,
            [.. metadata.GrantTypesSupported],
            [.. metadata.CodeChallengeMethodsSupported]);
    }
}
