using System.Globalization;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Hosting;
using ClinicCluster.Scheduling;
using Microsoft.Extensions.Primitives;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>
/// The Appointment search parameters this facade implements, parsed before anything reaches a
/// grain. A search names a patient or a practitioner (the two calendars that list appointments);
/// <c>date</c> bounds the start (prefixes eq, ge, gt, le, lt; a date is a local day of the clinic)
/// and <c>status</c> is a comma-separated list of FHIR codes. Errors name the parameter, never its value.
/// </summary>
public sealed record AppointmentSearchQuery(string? PatientId, string? PractitionerId, IReadOnlyList<(string Prefix, string Value)> Dates,
    IReadOnlySet<AppointmentStatus>? Statuses, int Count, string? Cursor)
{
    public const int MaxCount = 100;

    public static IReadOnlyList<(string Name, string Type, string Documentation)> Declared { get; } =
    [
        ("patient", "reference", "Patient/{id} (or the id): that patient's appointments."),
        ("practitioner", "reference", "Practitioner/{id} (or the id): that provider's appointments."),
        ("actor", "reference", "Patient/{id} or Practitioner/{id}."),
        ("date", "date", "The start: eq, ge, gt, le or lt with a local date (yyyy-MM-dd) or an instant with its offset; at most two."),
        ("status", "token", "Comma-separated: booked, arrived, fulfilled, cancelled, noshow."),
    ];

    private static readonly string[] Prefixes = ["eq", "ge", "gt", "le", "lt"];

    /// <summary>The audit's query kind: what the search listed by.</summary>
    public string Kind => Cursor is not null ? "cursor" : PatientId is not null ? "patient" : "practitioner";

    public static (AppointmentSearchQuery? Query, FhirResult? Error) Parse(IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        string? patient = null, practitioner = null, cursor = null;
        var dates = new List<(string, string)>();
        HashSet<AppointmentStatus>? statuses = null;
        var count = Patients.PatientSearchQuery.DefaultCount;
        foreach (var (key, values) in parameters)
        {
            if (key == "_format")
            {
                continue;
            }

            if (values.Count != 1 && key != "date" || values.Count > 2 || values.Any(v => FreeText.Problem(v ?? "", 256) is not null))
            {
                return Invalid($"Parameter '{key}': one value (date: at most two) of at most 256 printable characters.");
            }

            var value = values[0]!;
            switch (key)
            {
                case "patient" when patient is null && Reference(value, "Patient") is { } id:
                    patient = id;
                    break;
                case "practitioner" when practitioner is null && Reference(value, "Practitioner") is { } id:
                    practitioner = id;
                    break;
                case "actor" when patient is null && Reference(value, "Patient", bareId: false) is { } id:
                    patient = id;
                    break;
                case "actor" when practitioner is null && Reference(value, "Practitioner", bareId: false) is { } id:
                    practitioner = id;
                    break;
                case "date" when values.All(v => Prefixes.Contains(v![..Math.Min(2, v!.Length)]) || char.IsAsciiDigit(v.FirstOrDefault())):
                    dates.AddRange(values.Select(v => char.IsAsciiDigit(v![0]) ? ("eq", v) : (v[..2], v[2..])));
                    break;
                case "status" when ParseStatuses(value) is { } parsed:
                    statuses = parsed;
                    break;
                case "_count" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxCount:
                    break;
                case "_cursor":
                    cursor = value;
                    break;
                default:
                    return Invalid(Declared.Any(d => d.Name == key) || key == "_count"
                        ? $"Parameter '{key}': not a value this server accepts (see the CapabilityStatement)."
                        : "A search parameter is not supported on Appointment (see the CapabilityStatement).");
            }
        }

        if (cursor is not null)
        {
            return patient is null && practitioner is null && dates.Count == 0 && statuses is null
                ? (new AppointmentSearchQuery(null, null, [], null, count, cursor), null)
                : Invalid("Parameter '_cursor': a page link takes no other search parameters.");
        }

        return patient is null && practitioner is null
            ? Invalid("Give patient, practitioner or actor: appointments are listed per patient or per practitioner.")
            : (new AppointmentSearchQuery(patient, practitioner, dates, statuses, count, null), null);
    }

    private static (AppointmentSearchQuery?, FhirResult?) Invalid(string diagnostics) => (null, FhirOutcomes.Invalid(diagnostics));

    private static string? Reference(string value, string type, bool bareId = true)
    {
        var id = value.StartsWith(type + "/", StringComparison.Ordinal) ? value[(type.Length + 1)..] : bareId ? value : null;
        return id is not null && Identifiers.IsValid(id) ? id : null;
    }

    private static HashSet<AppointmentStatus>? ParseStatuses(string value)
    {
        var set = new HashSet<AppointmentStatus>();
        foreach (var code in value.Split(','))
        {
            if (StatusCodes.TryGetValue(code.Trim(), out var status))
            {
                set.Add(status);
            }
            else
            {
                return null;
            }
        }

        return set;
    }

    private static readonly Dictionary<string, AppointmentStatus> StatusCodes = new(StringComparer.Ordinal)
    {
        ["booked"] = AppointmentStatus.Booked,
        ["arrived"] = AppointmentStatus.CheckedIn,
        ["checked-in"] = AppointmentStatus.CheckedIn,
        ["fulfilled"] = AppointmentStatus.Fulfilled,
        ["cancelled"] = AppointmentStatus.Cancelled,
        ["noshow"] = AppointmentStatus.NoShow,
    };
}
