using System.Security.Claims;
using ClinicCluster.Api.Auth;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// The validated-token cache: a token seen before skips the signature check, never past its
/// expiry (plus skew) or the cache duration; failures are not remembered; identities are not shared.
/// </summary>
public sealed class CachingTokenHandlerTests : IDisposable
{
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CountingHandler _inner = new();
    private readonly CachingTokenHandler _handler;

    public CachingTokenHandlerTests() => _handler = new CachingTokenHandler(_inner, size: 100, Duration, _time);

    public void Dispose() => _handler.Dispose();

    [Fact]
    public async Task A_token_seen_before_is_not_validated_again_and_each_caller_gets_its_own_identity()
    {
        var token = TokenForge.Valid();

        var first = await _handler.ValidateTokenAsync(token, Parameters());
        first.ClaimsIdentity.AddClaim(new Claim("added-by-a-later-stage", "x"));
        var second = await _handler.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, _inner.Calls);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.DoesNotContain(second.ClaimsIdentity.Claims, c => c.Type == "added-by-a-later-stage");
        Assert.Equal("forge", second.ClaimsIdentity.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task A_refused_token_is_validated_again_every_time()
    {
        var tampered = TokenForge.Rewrite(TokenForge.Valid(), payload: p => p["sub"] = "someone-else", signingKey: "not-the-signing-key-not-the-signing-key-0123");

        var first = await _handler.ValidateTokenAsync(tampered, Parameters());
        var second = await _handler.ValidateTokenAsync(tampered, Parameters());

        Assert.False(first.IsValid);
        Assert.False(second.IsValid);
        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task A_remembered_token_is_validated_again_after_the_cache_duration()
    {
        var token = TokenForge.Valid();
        await _handler.ValidateTokenAsync(token, Parameters());

        _time.Advance(Duration + TimeSpan.FromSeconds(1));
        await _handler.ValidateTokenAsync(token, Parameters());

        Assert.Equal(2, _inner.Calls);
    }

    [Fact]
    public async Task A_remembered_token_is_never_used_past_its_expiry_and_the_skew()
    {
        // Expires in 10 s; the skew adds 5 s: the entry may serve for 15 s, not the whole minute.
        var token = TokenForge.Rewrite(TokenForge.Valid(), payload: p => p["exp"] = TokenForge.UnixNow(TimeSpan.FromSeconds(10)));
        var parameters = Parameters(skew: TimeSpan.FromSeconds(5));
        await _handler.ValidateTokenAsync(token, parameters);

        _time.Advance(TimeSpan.FromSeconds(14));
        await _handler.ValidateTokenAsync(token, parameters);
        Assert.Equal(1, _inner.Calls);

        _time.Advance(TimeSpan.FromSeconds(2));
        await _handler.ValidateTokenAsync(token, parameters);
        Assert.Equal(2, _inner.Calls);
    }

    private static TokenValidationParameters Parameters(TimeSpan? skew = null) => new()
    {
        ValidIssuer = AuthOptions.DevIssuer,
        ValidAudience = ApiFixture.AuthOptions.Audience,
        IssuerSigningKey = DevTokenIssuer.Key(ApiFixture.AuthOptions.DevSigningKey!),
        ValidAlgorithms = [AuthOptions.DevAlgorithm],
        RequireExpirationTime = true,
        ClockSkew = skew ?? TimeSpan.FromSeconds(30),
    };

    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _jwt = new() { MapInboundClaims = false };

        public int Calls { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            return _jwt.ValidateTokenAsync(token, validationParameters);
        }
    }
}
