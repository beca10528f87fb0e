using System.Text.Json.Nodes;

namespace ClinicCluster.Security.Tests;

/// <summary>The hostile values the generator draws from, by position: route ids, query values, headers, JSON values.</summary>
public static class HostileValues
{
    /// <summary>Route segments, already percent-encoded as they travel on the wire.</summary>
    public static readonly string[] RouteIds =
    [
        "%00", "abc%00", "abc%0A", "abc%0D%0A", "%0Aabc", "a%09b", "a%1Fb", "a%7Fb", "ABC", "a%20b", "%C3%A9t%C3%A9",
        "%FF%FE", "%C0%AF", "%ED%A0%80", "a%2Fb", "..%2F..%2Fetc", "%2E%2E", "-abc", "a_b", "%D9%A0%D9%A1", "%25", "%25%30%30",
        new string('a', 65), new string('a', 5000), "zz-unknown-0000", "pat-00000000000000000000000000000000",
        "apt-ffffffffffffffffffffffffffffffff", "0", "a%E2%80%AEb", "a%EF%BB%BFb",
    ];

    /// <summary>Query values, already percent-encoded.</summary>
    public static readonly string[] QueryValues =
    [
        "", "%00", "a%00b", "x%0A", "%0D%0A", "%1B%5B31m", "%C2%85", "%FF", "%ED%A0%80", new string('q', 10_000),
        "-1", "0", "1", "2147483648", "-2147483649", "99999999999999999999", "1e309", "NaN", "Infinity", "0x10", "1.5", "%2B1",
        "2026-02-30", "0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "2026-13-01", "2026-12-07T10:00:00",
        "0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-14:00", "2026-12-07T10:00:00%2B25:00", "yesterday", "true",
        "abc%0A", "pat-unknown", "Zo%C3%AB", "%2A", "%25", "a%26b%3Dc",
    ];

    /// <summary>Header values HttpClient will put on the wire (it refuses CR and LF itself).</summary>
    public static readonly string[] HeaderValues =
    [
        "", " ", "a\0b", "\0", "\u0001\u0002", "\u001b[31m", "\u007f", "é", "\u00ff\u00fe", new string('h', 6000), "key-1", "TREAT",
        "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer a.b.c", "Bearer \0", "x\tx",
    ];

    /// <summary>JSON values for any position of a body.</summary>
    public static JsonNode?[] JsonValues() =>
    [
        null, JsonValue.Create(""), JsonValue.Create("   "), JsonValue.Create("a\0b"), JsonValue.Create("\0"),
        JsonValue.Create("line\nbreak"), JsonValue.Create("\r\n"), JsonValue.Create("\u001b[31m"), JsonValue.Create("\u0085"),
        JsonValue.Create("\u202eevil"), JsonValue.Create(new string('s', 100_000)), JsonValue.Create("abc\n"),
        JsonValue.Create(1e308), JsonValue.Create(-1), JsonValue.Create(0), JsonValue.Create(2147483648L), JsonValue.Create(long.MinValue),
        JsonValue.Create(1.5), JsonValue.Create(true), new JsonArray(), new JsonObject(), new JsonArray(JsonValue.Create(1), null),
        JsonValue.Create("2026-02-30"), JsonValue.Create("0001-01-01"), JsonValue.Create("9999-12-31"),
        JsonValue.Create("0001-01-01T00:00:00+14:00"), JsonValue.Create("9999-12-31T23:59:59-14:00"), JsonValue.Create("2026-12-07T10:00:00"),
        JsonValue.Create("24:00:00"), JsonValue.Create("-01:00:00"), JsonValue.Create("23:59:60"), JsonValue.Create("MONDAY"),
        JsonValue.Create("funday"), JsonValue.Create(7), JsonValue.Create("pat-unknown"), JsonValue.Create("UNKNOWN-ID"),
        JsonValue.Create("Etc/GMT+99"), JsonValue.Create("../../etc/passwd"),
    ];

    /// <summary>Raw JSON texts that are not objects or not JSON at all.</summary>
    public static readonly string[] RawBodies =
    [
        "", " ", "null", "[]", "0", "\"text\"", "{", "}", "{\"a\":", "{'a':1}", "{\"a\":1,}", "{\"a\" 1}", "\u0000",
        "{\"mrn\":\"A\",\"mrn\":\"B\"}", "[{}]", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\u0000\"}", "tru", "1e999999",
        new string('[', 5000) + new string(']', 5000), "{\"a\":" + new string('[', 100) + new string(']', 100) + "}",
    ];

    public static readonly string?[] ContentTypes =
    [
        null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "application/json; charset=latin1", "application/problem+json", "*/*", "application/jsonx",
    ];
}
