using System.Buffers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace ClinicCluster.Fhir.Hosting;

/// <summary>
/// The one place FHIR JSON is written and read: the SDK's System.Text.Json converters
/// (<c>ForFhir</c>), not the obsolete parser. Options are immutable once used, so one instance serves every request.
/// </summary>
public static class FhirJson
{
    public const string MediaType = "application/fhir+json";

    public static JsonSerializerOptions Options { get; } = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, resource.GetType(), Options);

    /// <summary>Writes <paramref name="resource"/> as FHIR JSON into <paramref name="output"/> (a response's pipe), without an intermediate string or stream.</summary>
    public static void Write(IBufferWriter<byte> output, Resource resource)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = Options.Encoder });
        JsonSerializer.Serialize(writer, resource, resource.GetType(), Options);
    }

    public static T Deserialize<T>(string json)
        where T : Resource =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("Empty FHIR JSON.");

    /// <summary>
    /// Builds the SDK's model of R4 (every type's mapping, read by reflection) and its converters
    /// now, at start-up: otherwise the first FHIR request pays for it, seconds of CPU on a busy
    /// machine, and a short load run measures that instead of the steady state.
    /// </summary>
    public static void WarmUp() => Deserialize<Hl7.Fhir.Model.Patient>(Serialize(new Hl7.Fhir.Model.Patient { Id = "warm-up", Active = true }));
}
