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

    public static string Issue(AuthOptions options, string subject, IEnumerable<string> roles, IEnumerable<string> clinics, DateTimeOffset now)
    {
        var claims = new List<Claim> { new(ClinicClaims.Subject, subject) };
        claims.AddRange(roles.Select(r => new Claim(ClinicClaims.Role, r)));
        claims.AddRange(clinics.Select(c => new Claim(ClinicClaims.Clinic, c)));

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
