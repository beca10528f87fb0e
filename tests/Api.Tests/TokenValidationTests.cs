using System.Net;
using System.Text.Json.Nodes;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// Every class of bad token is refused with 401 on a read and a write, and the control (the same
/// token re-signed unchanged) is accepted, so a refusal is caused by the one thing changed.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TokenValidationTests(ApiFixture fixture)
{
    public static TheoryData<string> BadTokens() =>
    [
        "missing", "empty-bearer", "expired", "expired-beyond-skew", "not-yet-valid", "no-expiry", "wrong-issuer", "no-issuer",
        "wrong-audience", "no-audience", "alg-none", "alg-none-with-signature", "alg-hs512", "alg-rs256-with-hmac", "wrong-key",
        "tampered-payload", "malformed", "two-parts", "not-base64", "wrong-typ", "id-token-typ",
    ];

    [Fact]
    public async Task A_valid_token_rewritten_unchanged_is_accepted()
    {
        var clinic = await fixture.CreateClinicAsync();
        using var response = await fixture.Api.GetAsync(clinic.Path, TokenForge.Rewrite(TokenForge.Valid()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_expired_within_the_clock_skew_is_still_accepted()
    {
        var clinic = await fixture.CreateClinicAsync();
        var token = TokenForge.Rewrite(TokenForge.Valid(), payload: p => (p["exp"], p["nbf"], p["iat"]) =
            (TokenForge.UnixNow(TimeSpan.FromSeconds(-10)), TokenForge.UnixNow(TimeSpan.FromHours(-1)), TokenForge.UnixNow(TimeSpan.FromHours(-1))));
        using var response = await fixture.Api.GetAsync(clinic.Path, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_accepted_and_remembered_is_refused_once_it_expires()
    {
        // Valid for about three more seconds (30 s of skew past an exp 27 s ago).
        var clinic = await fixture.CreateClinicAsync();
        var token = TokenForge.Rewrite(TokenForge.Valid(), payload: p => (p["exp"], p["nbf"], p["iat"]) =
            (TokenForge.UnixNow(TimeSpan.FromSeconds(-27)), TokenForge.UnixNow(TimeSpan.FromHours(-1)), TokenForge.UnixNow(TimeSpan.FromHours(-1))));
        using var accepted = await fixture.Api.GetAsync(clinic.Path, token);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(4.5));
        using var refused = await fixture.Api.GetAsync(clinic.Path, token);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Bad_token_is_401(string kind)
    {
        var clinic = await fixture.CreateClinicAsync();
        using var get = await SendAsync(HttpMethod.Get, clinic.Path, kind, null);
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Contains(get.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");

        using var post = await SendAsync(HttpMethod.Post, $"{clinic.Path}/patients", kind, ApiClient.JsonBody(new
        {
            mrn = TestData.NewMrn(),
            givenName = "Ana",
            familyName = "Token",
            birthDate = "1990-01-01",
            sex = "female",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string kind, HttpContent? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        var header = kind switch
        {
            "missing" => null,
            "empty-bearer" => "Bearer ",
            _ => "Bearer " + Token(kind),
        };
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        return await fixture.Api.Http.SendAsync(request);
    }

    private static string Token(string kind)
    {
        var valid = TokenForge.Valid();
        return kind switch
        {
            "expired" => TokenForge.Rewrite(valid, payload: p => (p["exp"], p["nbf"], p["iat"]) =
                (TokenForge.UnixNow(TimeSpan.FromHours(-1)), TokenForge.UnixNow(TimeSpan.FromHours(-9)), TokenForge.UnixNow(TimeSpan.FromHours(-9)))),
            "expired-beyond-skew" => TokenForge.Rewrite(valid, payload: p => (p["exp"], p["nbf"], p["iat"]) =
                (TokenForge.UnixNow(TimeSpan.FromSeconds(-45)), TokenForge.UnixNow(TimeSpan.FromHours(-1)), TokenForge.UnixNow(TimeSpan.FromHours(-1)))),
            "not-yet-valid" => TokenForge.Rewrite(valid, payload: p => (p["nbf"], p["iat"]) =
                (TokenForge.UnixNow(TimeSpan.FromMinutes(10)), TokenForge.UnixNow(TimeSpan.FromMinutes(10)))),
            "no-expiry" => TokenForge.Rewrite(valid, payload: p => p.Remove("exp")),
            "wrong-issuer" => TokenForge.Rewrite(valid, payload: p => p["iss"] = "https://evil.example"),
            "no-issuer" => TokenForge.Rewrite(valid, payload: p => p.Remove("iss")),
            "wrong-audience" => TokenForge.Rewrite(valid, payload: p => p["aud"] = "some-other-api"),
            "no-audience" => TokenForge.Rewrite(valid, payload: p => p.Remove("aud")),
            "alg-none" => TokenForge.Rewrite(valid, algorithm: "none", signingKey: null),
            "alg-none-with-signature" => TokenForge.Rewrite(valid, header: h => h["alg"] = "none"),
            "alg-hs512" => TokenForge.Rewrite(valid, algorithm: "HS512"),
            "alg-rs256-with-hmac" => TokenForge.Rewrite(valid, header: h => h["alg"] = "RS256"),
            "wrong-key" => TokenForge.Rewrite(valid, signingKey: "another-signing-key-that-is-long-enough-0123456789"),
            "tampered-payload" => Tamper(valid),
            "malformed" => "not-a-jwt",
            "two-parts" => string.Join('.', valid.Split('.')[..2]),
            "not-base64" => "e30.%%%%.abc",
            "wrong-typ" => TokenForge.Rewrite(valid, header: h => h["typ"] = "logout+jwt"),
            "id-token-typ" => TokenForge.Rewrite(valid, header: h => h["typ"] = "id_token"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>The claims of a valid token changed after signing (the signature is kept).</summary>
    private static string Tamper(string valid)
    {
        var resigned = TokenForge.Rewrite(valid, payload: p => p["sub"] = "someone-else", signingKey: "x");
        var parts = valid.Split('.');
        return $"{parts[0]}.{resigned.Split('.')[1]}.{parts[2]}";
    }
}
