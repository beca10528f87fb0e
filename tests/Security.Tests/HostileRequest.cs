namespace ClinicCluster.Security.Tests;

/// <summary>One generated request: what to send, and a short description for failure messages (no PHI: all test data).</summary>
public sealed record HostileRequest(
    string Endpoint,
    string Mutation,
    HttpMethod Method,
    string PathAndQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    string? ContentType,
    bool MayAbortConnection = false)
{
    public override string ToString() =>
        $"{Endpoint} [{Mutation}] {Method} {Shorten(PathAndQuery)} body={Body?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} type={ContentType ?? "none"}";

    private static string Shorten(string value) => value.Length <= 160 ? value : value[..160] + "...";
}
