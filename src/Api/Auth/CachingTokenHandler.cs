using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.Tokens;

namespace ClinicCluster.Api.Auth;

/// <summary>
/// Remembers the tokens that passed validation, so a client sending the same bearer token on
/// every request has it parsed and its signature checked once per <c>Auth:TokenCacheDuration</c>
/// instead of every time (token validation was an eighth of the API's CPU per audited read, and
/// an asymmetric signature costs more than the development HMAC). Sound because a token is
/// immutable: the same string validated against the same parameters gives the same answer until
/// it expires, and an entry never outlives the token's expiry plus the accepted clock skew.
/// What it gives up: a signing key withdrawn by the authority keeps accepting tokens already seen
/// for at most the cache duration. Failures are never cached, and each request gets its own copy
/// of the identity, since later stages may add claims to it.
/// </summary>
public sealed class CachingTokenHandler : TokenHandler, IDisposable
{
    private readonly TokenHandler _inner;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly MemoryCache _validated;

    public CachingTokenHandler(TokenHandler inner, int size, TimeSpan duration, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        _inner = inner;
        _duration = duration;
        _time = time;
        _validated = new MemoryCache(new MemoryCacheOptions { SizeLimit = size });
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = _time.GetUtcNow();
        if (_validated.TryGetValue(token, out Validated? hit) && hit!.Until > now)
        {
            return hit.Copy();
        }

        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, SecurityToken: { } securityToken })
        {
            var expires = new DateTimeOffset(DateTime.SpecifyKind(securityToken.ValidTo, DateTimeKind.Utc)) + validationParameters.ClockSkew;
            var until = expires < now + _duration ? expires : now + _duration;
            if (until > now)
            {
                var validated = new Validated(result.ClaimsIdentity.Clone(), securityToken, result.Issuer, result.TokenType, until);
                _validated.Set(token, validated, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = until });
            }
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => _inner.ReadToken(token);

    public void Dispose() => _validated.Dispose();

    private sealed record Validated(System.Security.Claims.ClaimsIdentity Identity, SecurityToken Token, string Issuer, string TokenType, DateTimeOffset Until)
    {
        public TokenValidationResult Copy() => new()
        {
            IsValid = true,
            ClaimsIdentity = Identity.Clone(),
            SecurityToken = Token,
            Issuer = Issuer,
            TokenType = TokenType,
        };
    }
}
