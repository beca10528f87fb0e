using System.Net;
using System.Text.Json;

namespace ClinicCluster.Testing;

/// <summary>Assertions on responses.</summary>
public static class Responses
{
    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body.</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 problem with this status and, when given, this "code" extension.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var json = await response.ExpectAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        if (code is not null)
        {
            Assert.True(json.TryGetProperty("code", out var actual), $"No 'code' in {json}");
            Assert.Equal(code, actual.GetString());
        }

        return json;
    }

    /// <summary>Asserts a 400 validation problem whose "errors" name <paramref name="field"/>.</summary>
    public static async Task<JsonElement> ExpectValidationAsync(this HttpResponseMessage response, string field)
    {
        var json = await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(json.TryGetProperty("errors", out var errors), $"No 'errors' in {json}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"No error for '{field}' in {errors}");
        Assert.NotEqual(0, messages.GetArrayLength());
        return json;
    }

    public static string Str(this JsonElement json, string property) =>
        json.GetProperty(property).GetString() ?? throw new InvalidOperationException($"'{property}' is null in {json}.");

    public static DateTimeOffset Instant(this JsonElement json, string property) =>
        DateTimeOffset.Parse(json.Str(property), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The body without its per-request trace id, to compare two problem responses.</summary>
    public static string WithoutTraceId(JsonElement json)
    {
        var copy = new Dictionary<string, JsonElement>();
        foreach (var property in json.EnumerateObject())
        {
            if (property.Name != "traceId")
            {
                copy[property.Name] = property.Value;
            }
        }

        return JsonSerializer.Serialize(copy.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value));
    }
}
