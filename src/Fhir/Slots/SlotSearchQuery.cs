using System.Globalization;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Appointments;
using ClinicCluster.Fhir.Hosting;
using Microsoft.Extensions.Primitives;

namespace ClinicCluster.Fhir.Slots;

/// <summary>
/// The Slot search parameters this facade implements (the CapabilityStatement lists exactly these),
/// parsed before anything reaches a grain. Slots are listed per schedule (one per provider), so
/// <c>schedule</c> and <c>start=ge</c> are required. Errors name our parameter, never a submitted value.
/// </summary>
public sealed record SlotSearchQuery(string ScheduleId, string? AppointmentType, string From, string? To, bool Free, bool Busy, int Count, string? Cursor)
{
    public const int DefaultCount = 20;
    public const int MaxCount = 100;

    public static IReadOnlyList<(string Name, string Type, string Documentation)> Declared { get; } =
    [
        ("schedule", "reference", "Schedule/{id} (or the id): that provider's slots. Required."),
        ("start", "date", "ge (required) and lt: a local date (yyyy-MM-dd) or an instant with its offset; at most 14 local days."),
        ("status", "token", "Comma-separated: free, busy (default both)."),
        ("appointment-type", "token", "The visit type, system|code or the code; optional when the clinic has one type."),
    ];

    public static (SlotSearchQuery? Query, FhirResult? Error) Parse(IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        string? schedule = null, type = null, from = null, to = null, cursor = null;
        (bool Free, bool Busy)? statuses = null;
        var count = DefaultCount;
        foreach (var (key, values) in parameters)
        {
            if (key == "_format")
            {
                continue;
            }

            if (!Declared.Any(d => d.Name == key) && key is not ("_count" or "_cursor"))
            {
                return Invalid("A search parameter is not supported on Slot (see the CapabilityStatement).");
            }

            if (values.Count != 1 && key != "start" || values.Count > 2 || values.Any(v => FreeText.Problem(v ?? "", 256) is not null))
            {
                return Invalid($"Parameter '{key}': one value (start: at most two) of at most 256 printable characters.");
            }

            foreach (var value in values.Select(v => v!))
            {
                var accepted = key switch
                {
                    "schedule" => (schedule = Reference(value)) is not null,
                    "appointment-type" => (type = TypeCode(value)) is not null,
                    "start" when value.StartsWith("ge", StringComparison.Ordinal) && from is null => (from = value[2..]).Length > 0,
                    "start" when value.StartsWith("lt", StringComparison.Ordinal) && to is null => (to = value[2..]).Length > 0,
                    "status" => (statuses = Statuses(value)) is not null,
                    "_count" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxCount,
                    "_cursor" => (cursor = value).Length <= SlotCursor.MaxLength,
                    _ => false,
                };
                if (!accepted)
                {
                    return Invalid($"Parameter '{key}': not a value this server accepts (see the CapabilityStatement).");
                }
            }
        }

        if (schedule is null || from is null)
        {
            return Invalid("Give schedule and start=ge...: slots are listed per schedule, from a start.");
        }

        var (free, busy) = statuses ?? (true, true);
        return (new SlotSearchQuery(schedule, type, from, to, free, busy, count, cursor), null);
    }

    private static (SlotSearchQuery?, FhirResult?) Invalid(string diagnostics) => (null, FhirOutcomes.Invalid(diagnostics));

    private static string? Reference(string value)
    {
        var id = value.StartsWith("Schedule/", StringComparison.Ordinal) ? value["Schedule/".Length..] : value;
        return Identifiers.IsValid(id) ? id : null;
    }

    // A visit type is a code of our appointment-type system; another system names nothing we have.
    private static string? TypeCode(string value)
    {
        var bar = value.LastIndexOf('|');
        var (system, code) = bar < 0 ? (null, value) : (value[..bar], value[(bar + 1)..]);
        return system is null or AppointmentMapper.AppointmentTypeSystem && code.Length is > 0 and <= 100 ? code : null;
    }

    private static (bool Free, bool Busy)? Statuses(string value)
    {
        var codes = value.Split(',');
        return codes.All(c => c is "free" or "busy") ? (codes.Contains("free"), codes.Contains("busy")) : null;
    }
}
