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

    public static T Deserialize<T>(string json)
        where T : Resource =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("Empty FHIR JSON.");
}
