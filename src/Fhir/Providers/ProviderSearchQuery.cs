using System.Globalization;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using Microsoft.Extensions.Primitives;

namespace ClinicCluster.Fhir.Providers;

/// <summary>
/// Practitioner and Schedule search over the clinic's providers (not PHI): <c>_id</c> on both,
/// <c>name</c> (a prefix of the name or of one of its words, case-insensitive) on Practitioner,
/// <c>actor</c> on Schedule; none lists every provider. Paged with a cursor token like the Patient
/// search, so a name never travels in a link. Errors name our parameter, never a submitted value.
/// </summary>
public sealed record ProviderSearchQuery(string? Id, string? Name, int Count, string? Cursor)
{
    public const int MaxNameLength = 100;

    public static IReadOnlyList<(string Name, string Type, string Documentation)> PractitionerDeclared { get; } =
    [
        ("_id", "token", "The practitioner's id (the provider's)."),
        ("name", "string", "Prefix of the name or of one of its words, case-insensitive."),
    ];

    public static IReadOnlyList<(string Name, string Type, string Documentation)> ScheduleDeclared { get; } =
    [
        ("_id", "token", "The schedule's id (the provider's)."),
        ("actor", "reference", "Practitioner/{id} (or the id): that practitioner's one schedule."),
    ];

    /// <summary>The audit's query kind: what the search matched on (never the text).</summary>
    public string Kind => Cursor is not null ? "cursor" : Id is not null ? "id" : Name is not null ? "name" : "all";

    public static (ProviderSearchQuery? Query, FhirResult? Error) Parse(string type, IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        var declared = type == "Schedule" ? ScheduleDeclared : PractitionerDeclared;
        string? id = null, name = null, cursor = null;
        var count = Patients.PatientSearchQuery.DefaultCount;
        foreach (var (key, values) in parameters)
        {
            if (key == "_format")
            {
                continue;
            }

            if (!declared.Any(d => d.Name == key) && key is not ("_count" or "_cursor"))
            {
                return Invalid($"A search parameter is not supported on {type} (see the CapabilityStatement).");
            }

            if (values.Count != 1 || FreeText.Problem(values[0] ?? "", 256) is not null)
            {
                return Invalid($"Parameter '{key}': one value of at most 256 printable characters.");
            }

            var value = values[0]!;
            var accepted = key switch
            {
                "_id" => Identifiers.IsValid(id = value),
                "actor" => Identifiers.IsValid(id = value.StartsWith("Practitioner/", StringComparison.Ordinal) ? value["Practitioner/".Length..] : value),
                "name" => (name = value.Trim()).Length is > 0 and <= MaxNameLength,
                "_count" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= Patients.PatientSearchQuery.MaxCount,
                _ => (cursor = value).Length <= 64,
            };
            if (!accepted)
            {
                return Invalid($"Parameter '{key}': not a value this server accepts (see the CapabilityStatement).");
            }
        }

        return cursor is not null && (id is not null || name is not null)
            ? Invalid("Parameter '_cursor': a page link takes no other search parameters.")
            : (new ProviderSearchQuery(id, name, count, cursor), null);
    }

    /// <summary>The providers this query matches, by id.</summary>
    public IReadOnlyList<string> Match(IEnumerable<Provider> providers) => providers
        .Where(p => Id is null || p.Id == Id)
        .Where(p => Name is null || p.Profile.Name.StartsWith(Name, StringComparison.OrdinalIgnoreCase)
            || p.Profile.Name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(w => w.StartsWith(Name, StringComparison.OrdinalIgnoreCase)))
        .Select(p => p.Id)
        .Order(StringComparer.Ordinal)
        .ToList();

    private static (ProviderSearchQuery?, FhirResult?) Invalid(string diagnostics) => (null, FhirOutcomes.Invalid(diagnostics));
}
