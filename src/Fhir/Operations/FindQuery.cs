using System.Globalization;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Appointments;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Fhir.Operations;

/// <summary>
/// The input of <c>Appointment/$find</c> (IHE ITI Scheduling; Argonaut's names accepted as aliases):
/// <c>start</c> and <c>end</c> (a local date of the clinic, or an instant with its offset),
/// <c>practitioner</c> (repeatable; Argonaut <c>provider</c>), <c>specialty</c>, <c>visit-type</c>,
/// <c>location</c>/<c>organization</c> (this clinic), <c>patient</c>, <c>_count</c>, and the
/// <c>_cursor</c> of a next page. Errors name the parameter, never its value.
/// </summary>
public sealed record FindQuery(string Start, string? End, IReadOnlyList<string> Practitioners, string? Specialty, string? VisitType,
    string? Place, string? PatientId, int Count, string? Cursor)
{
    public static IReadOnlyList<(string Name, string Type, string Documentation)> Declared { get; } =
    [
        ("start", "dateTime", "Earliest start: a local date (yyyy-MM-dd) or an instant with its offset. Required."),
        ("end", "dateTime", $"Latest end (a local date counts whole); default and maximum: {ClinicAvailabilityLimits.MaxDays} local days from start."),
        ("practitioner", "reference", $"Practitioner/{{id}}; repeatable, at most {ClinicAvailabilityLimits.MaxProviders} (alias: provider)."),
        ("specialty", "token", "The practitioners' specialty (exact text, any case)."),
        ("visit-type", "token", $"{AppointmentMapper.AppointmentTypeSystem}|code, or the code; optional when the clinic has one visit type."),
        ("location", "reference", "Location/{clinicId} (the clinic's one location); alias: organization."),
        ("patient", "reference", "Patient/{id}: the proposals name the patient (needs patient read)."),
        ("_count", "integer", $"Proposals per page, 1-{ClinicAvailabilityLimits.MaxLimit} (default {ClinicAvailabilityLimits.DefaultLimit})."),
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["provider"] = "practitioner",
        ["organization"] = "location",
        ["appointment-type"] = "visit-type",
    };

    public static (FindQuery? Query, string? Problem) Parse(IEnumerable<(string Name, string Value)> input)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (raw, value) in input)
        {
            var name = Aliases.GetValueOrDefault(raw, raw);
            if (name != "_cursor" && Declared.All(d => d.Name != name))
            {
                return (null, "A parameter is not supported by $find (see the CapabilityStatement).");
            }

            if (FreeText.Problem(value, 256) is not null || (name != "practitioner" && values.ContainsKey(name)))
            {
                return (null, $"Parameter '{name}': one value of at most 256 printable characters.");
            }

            values.TryAdd(name, []);
            values[name].Add(value);
        }

        string? One(string name) => values.TryGetValue(name, out var v) ? v[0] : null;
        var practitioners = new List<string>();
        foreach (var value in values.GetValueOrDefault("practitioner") ?? [])
        {
            var id = value.StartsWith("Practitioner/", StringComparison.Ordinal) ? value["Practitioner/".Length..] : value;
            if (!Identifiers.IsValid(id) || practitioners.Count >= ClinicAvailabilityLimits.MaxProviders)
            {
                return (null, $"Parameter 'practitioner': Practitioner/{{id}}, at most {ClinicAvailabilityLimits.MaxProviders}.");
            }

            practitioners.Add(id);
        }

        string? patient = null;
        if (One("patient") is { } p)
        {
            patient = p.StartsWith("Patient/", StringComparison.Ordinal) ? p["Patient/".Length..] : p;
            if (!Identifiers.IsValid(patient))
            {
                return (null, "Parameter 'patient': Patient/{id}.");
            }
        }

        var count = ClinicAvailabilityLimits.DefaultLimit;
        if (One("_count") is { } c && (!int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > ClinicAvailabilityLimits.MaxLimit))
        {
            return (null, $"Parameter '_count': a whole number from 1 to {ClinicAvailabilityLimits.MaxLimit}.");
        }

        var visitType = One("visit-type") is { } v && v.Contains('|') ? VisitTypeCode(v) : One("visit-type");
        if (visitType is { Length: 0 or > 64 })
        {
            return (null, $"Parameter 'visit-type': a code of {AppointmentMapper.AppointmentTypeSystem}.");
        }

        return One("start") is { } start
            ? (new FindQuery(start, One("end"), practitioners, One("specialty"), visitType, One("location"), patient, count, One("_cursor")), null)
            : (null, "Parameter 'start': required (a local date yyyy-MM-dd or an instant with its offset).");
    }

    // Another system's code names no visit type of ours: an empty code, refused above.
    private static string VisitTypeCode(string token) =>
        token.Split('|', 2) is [var system, var code] && (system.Length == 0 || system == AppointmentMapper.AppointmentTypeSystem) ? code : "";
}
