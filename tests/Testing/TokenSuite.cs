extern alias api;

using AuthOptions = api::ClinicCluster.Api.Auth.AuthOptions;

namespace ClinicCluster.Testing;

/// <summary>What makes one suite's tokens its own: the signing key its API validates with and the subjects' prefix.</summary>
public interface ITokenSuite
{
    /// <summary>The development signing key the suite's API is started with.</summary>
    static abstract string SigningKey { get; }

    /// <summary>Every subject starts with it (a suite finds its own audit events by it).</summary>
    static abstract string SubjectPrefix { get; }
}

/// <summary>
/// The token members every fixture that starts the API offers its tests (<c>ApiFixture.AdminToken</c>,
/// <c>SecurityFixture.Token(role, clinics)</c>), written once: a fixture derives from it with itself
/// as <typeparamref name="TSuite"/>.
/// </summary>
public abstract class TokenSuite<TSuite>
    where TSuite : ITokenSuite
{
    public const string Audience = TestTokens.Audience;

    /// <summary>This suite's tokens.</summary>
    public static TestTokens Tokens { get; } = new(TSuite.SigningKey, TSuite.SubjectPrefix);

    public static AuthOptions AuthOptions => Tokens.AuthOptions;

    /// <summary>An administrator of every clinic, with every SMART scope for the FHIR routes (the native routes ignore scopes).</summary>
    public static string AdminToken { get; } = Tokens.ScopedToken("admin", ["user/*.cruds"], "*");

    /// <summary>A valid token for one role and the given clinics ("*" for all).</summary>
    public static string Token(string role, params string[] clinics) => Tokens.Token(role, clinics);
}
