using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ClinicCluster.Api.Auth;

/// <summary>Signs development tokens with the development key.</summary>
public static class DevTokenIssuer
{
    public const int MinimumKeyLength = 32;

    public static SymmetricSecurityKey Key(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey));

    /// <summary>A token granting every role in every clinic listed ("*" for all clinics).</summary>
    public static string Issue(AuthOptions options, string subject, IEnumerable<string> roles, IEnumerable<string> clinics, DateTimeOffset now, IEnumerable<string>? scopes = null) =>
        Issue(options, subject, clinics.SelectMany(c => roles.Select(r => (c, r))), now, scopes);

    /// <summary>
    /// A token with one <see cref="ClinicClaims.ClinicRoles"/> grant per (clinic, role) and, when
    /// scopes are given, a space-separated <c>scope</c> claim (RFC 9068), which the FHIR routes require.
    /// </summary>
    public static string Issue(AuthOptions options, string subject, IEnumerable<(string ClinicId, string Role)> grants, DateTimeOffset now, IEnumerable<string>? scopes = null)
    {
        var claims = new List<Claim> { new(ClinicClaims.Subject, subject) };
        claims.AddRange(grants.Distinct().Select(g => new Claim(ClinicClaims.ClinicRoles, ClinicClaims.Grant(g.ClinicId, g.Role))));
        if (scopes?.Distinct().ToList() is { Count: > 0 } granted)
        {
            claims.Add(new Claim(ClinicClaims.Scope, string.Join(' ', granted)));
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.DevIssuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + options.DevTokenLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(Key(options.DevSigningKey!), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
