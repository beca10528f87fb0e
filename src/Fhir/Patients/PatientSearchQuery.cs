using System.Globalization;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using Microsoft.Extensions.Primitives;

namespace ClinicCluster.Fhir.Patients;

/// <summary>
/// The Patient search parameters this facade implements (the CapabilityStatement lists exactly
/// these), parsed and checked before anything reaches a grain: one value each, the native text
/// rule (no control characters, bounded), an id that can exist. Errors name the parameter, never its value.
/// </summary>
public sealed record PatientSearchQuery(
    string? Id, string? IdentifierSystem, string? Mrn, string? Name, string? Family, string? Given, DateOnly? BirthDate, int Count, string? Cursor)
{
    public const int DefaultCount = 20;
    public const int MaxCount = 100;
    public const int MaxMrnLength = 32;
    public const int MaxNameLength = 100;
    public const int MaxTextLength = 256;

    /// <summary>The parameters and their R4 types, as the CapabilityStatement declares them.</summary>
    public static IReadOnlyList<(string Name, string Type, string Documentation)> Declared { get; } =
    [
        ("_id", "token", "The patient's id."),
        ("identifier", "token", "The MRN: system|value, or the value alone."),
        ("name", "string", "Prefix of the given or family name."),
        ("family", "string", "Prefix of the family name."),
        ("given", "string", "Prefix of the given name."),
        ("birthdate", "date", "The date of birth, yyyy-MM-dd (eq only); combine with one of the others."),
    ];

    private static readonly HashSet<string> Control = ["_count", "_format", "_cursor"];

    /// <summary>What the search matched on first (the audit's query kind; never the text).</summary>
    public string Kind => Cursor is not null ? "cursor" : Id is not null ? "id" : Mrn is not null ? "mrn"
        : Name is not null ? "name" : Family is not null ? "family" : "given";

    public static (PatientSearchQuery? Query, FhirResult? Error) Parse(IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters)
        {
            if (!Control.Contains(key) && !Declared.Any(d => d.Name == key))
            {
                return (null, FhirOutcomes.Invalid("A search parameter is not supported on Patient (see the CapabilityStatement)."));
            }

            if (value.Count != 1 || values.ContainsKey(key))
            {
                return (null, FhirOutcomes.Invalid($"Parameter '{key}': give exactly one value."));
            }

            var max = key switch { "identifier" => MaxMrnLength + MaxTextLength, "name" or "family" or "given" => MaxNameLength, _ => MaxTextLength };
            if (FreeText.Problem(value[0] ?? "", max) is { } problem)
            {
                return (null, FhirOutcomes.Invalid($"Parameter '{key}': {problem}"));
            }

            values[key] = value[0]!;
        }

        return Build(values);
    }

    private static (PatientSearchQuery?, FhirResult?) Build(Dictionary<string, string> v)
    {
        var count = DefaultCount;
        if (v.TryGetValue("_count", out var countText)
            && (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxCount))
        {
            return (null, FhirOutcomes.Invalid($"Parameter '_count': a whole number from 1 to {MaxCount}."));
        }

        if (v.TryGetValue("_cursor", out var cursor))
        {
            return v.Keys.All(k => k is "_cursor" or "_format" or "_count")
                ? (new PatientSearchQuery(null, null, null, null, null, null, null, count, cursor), null)
                : (null, FhirOutcomes.Invalid("Parameter '_cursor': a page link takes no other search parameters."));
        }

        var id = v.GetValueOrDefault("_id");
        if (id is not null && !Identifiers.IsValid(id))
        {
            return (null, FhirOutcomes.Invalid("Parameter '_id': not a valid id."));
        }

        string? system = null, mrn = null;
        if (v.TryGetValue("identifier", out var identifier))
        {
            var bar = identifier.IndexOf('|', StringComparison.Ordinal);
            (system, mrn) = bar < 0 ? (null, identifier) : (identifier[..bar], identifier[(bar + 1)..]);
            if (mrn.Length is 0 or > MaxMrnLength || string.IsNullOrWhiteSpace(mrn))
            {
                return (null, FhirOutcomes.Invalid($"Parameter 'identifier': system|value with a value of 1 to {MaxMrnLength} characters."));
            }
        }

        foreach (var key in new[] { "name", "family", "given" })
        {
            if (v.TryGetValue(key, out var text) && string.IsNullOrWhiteSpace(text))
            {
                return (null, FhirOutcomes.Invalid($"Parameter '{key}': a prefix of 1 to {MaxNameLength} characters."));
            }
        }

        DateOnly? birthDate = null;
        if (v.TryGetValue("birthdate", out var birth))
        {
            var date = birth.StartsWith("eq", StringComparison.Ordinal) ? birth[2..] : birth;
            if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return (null, FhirOutcomes.Invalid("Parameter 'birthdate': a date yyyy-MM-dd, optionally prefixed with eq."));
            }

            birthDate = parsed;
        }

        var query = new PatientSearchQuery(id, system, mrn, v.GetValueOrDefault("name"), v.GetValueOrDefault("family"), v.GetValueOrDefault("given"), birthDate, count, null);
        return query is { Id: null, Mrn: null, Name: null, Family: null, Given: null }
            ? (null, FhirOutcomes.Invalid("Give _id, identifier, name, family or given (birthdate only narrows one of them)."))
            : (query, null);
    }
}
