using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ClinicCluster.Fhir.Hosting;

/// <summary>
/// Versions on the wire: <c>meta.versionId</c> is the grain's version counter, the ETag its weak
/// form <c>W/"n"</c>, and <c>If-Match</c> names the version an update was made against.
/// </summary>
public static class FhirVersions
{
    public static string ETag(long version) => $"W/\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The resource as a response with its ETag (and Last-Modified), from its <c>meta</c>.</summary>
    public static FhirResult Result(Resource resource, int status = StatusCodes.Status200OK, string? location = null)
    {
        var result = new FhirResult(resource, status);
        if (resource.Meta?.VersionId is { } version)
        {
            result.Headers[HeaderNames.ETag] = $"W/\"{version}\"";
        }

        if (resource.Meta?.LastUpdated is { } updated)
        {
            result.Headers[HeaderNames.LastModified] = updated.ToString("R", CultureInfo.InvariantCulture);
        }

        if (location is not null)
        {
            result.Headers[HeaderNames.Location] = location;
        }

        return result;
    }

    /// <summary>The version an <c>If-Match</c> value names (<c>W/"3"</c> or <c>"3"</c>), or null when it names none.</summary>
    public static long? Parse(string? ifMatch)
    {
        var text = ifMatch?.Trim() ?? "";
        if (text.StartsWith("W/", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        return text.Length is > 2 and <= 22 && text[0] == '"' && text[^1] == '"'
            && long.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : null;
    }
}
