using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClinicCluster.Api.Edge;

/// <summary>
/// Instants must carry their UTC offset ("...Z" or "...+02:00"). Without this, a time without an
/// offset would be read in the server's zone, and a booking would land hours off.
/// </summary>
public sealed class StrictDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || !HasOffset(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value))
        {
            throw new JsonException("Expected an ISO 8601 date and time with a UTC offset, such as 2026-03-09T09:00:00-04:00.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));

    private static bool HasOffset(string text)
    {
        var time = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (time < 0)
        {
            return false;
        }

        var tail = text[time..];
        return tail.EndsWith('Z') || tail.EndsWith('z') || tail.LastIndexOfAny(['+', '-']) > 0;
    }
}
