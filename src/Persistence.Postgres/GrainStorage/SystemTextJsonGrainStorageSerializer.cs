using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Orleans.Storage;

namespace ClinicCluster.Persistence.Postgres.GrainStorage;

/// <summary>
/// Grain state as plain JSON (camelCase properties, enums as strings, ISO dates and times), so
/// the database holds state an operator can read and query. Records bind through their
/// positional constructors; dictionary keys are kept exactly as they are (they are identifiers).
/// </summary>
public sealed class SystemTextJsonGrainStorageSerializer : IGrainStorageSerializer
{
    public SystemTextJsonGrainStorageSerializer()
    {
        Options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipUnreadableProperties } },
        };
        Options.MakeReadOnly();
    }

    /// <summary>The options in use; read-only.</summary>
    public JsonSerializerOptions Options { get; }

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    // A JSON null yields null: the provider then creates a fresh state, as for a missing row.
    public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)!;

    /// <summary>
    /// Leaves out computed properties (no setter and no constructor parameter): they could never
    /// be read back, so storing them would only make the stored JSON look like data it is not.
    /// </summary>
    private static void SkipUnreadableProperties(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (property.Set is null && property.AssociatedParameter is null)
            {
                property.ShouldSerialize = static (_, _) => false;
            }
        }
    }
}
