using System.Globalization;
using ClinicCluster.Audit;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Fhir.Appointments;
using ClinicCluster.Fhir.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ClinicCluster.Fhir.Slots;

/// <summary>
/// Slot search and read, computed from the providers' calendars (<see cref="ProviderSlots"/>). Clinic
/// read suffices (as the native availability); each request is one audit event, as <c>$find</c>:
/// busy slots come from the appointment ledger, though they name no patient.
/// </summary>
public static class FhirSlotEndpoints
{
    public static void Map(RouteGroupBuilder fhir, IFhirHost host)
    {
        host.Secure(fhir.MapGet("/Slot", SearchAsync).WithName("FhirSearchSlot"), FhirAccess.ClinicRead, AuditAction.Search, "Slot");
        host.Secure(fhir.MapGet("/Slot/{slotId}", ReadAsync).WithName("FhirReadSlot"), FhirAccess.ClinicRead, AuditAction.Read, "Slot");
    }

    private static async Task<IResult> SearchAsync(string clinicId, HttpContext http, IGrainFactory grains, IFhirHost host)
    {
        var (query, error) = SlotSearchQuery.Parse(http.Request.Query);
        host.NoteSearch(http, query is null ? null : query.Cursor is null ? "schedule" : "cursor", []);
        if (query is null)
        {
            return error!;
        }

        if (await grains.GetGrain<IClinicGrain>(clinicId).GetAsync() is not { } clinic)
        {
            return FhirOutcomes.NotFound("Clinic");
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(clinic.Settings.TimeZone);
        if (TypeOf(clinic, query.AppointmentType) is not { } type)
        {
            return FhirOutcomes.Invalid("Parameter 'appointment-type': a visit type of this clinic (required when it has several).");
        }

        if (SlotWindow.Of(query.From, query.To, zone) is not { } window)
        {
            return FhirOutcomes.Invalid("Parameter 'start': ge and lt a date or an instant, lt after ge, at most 14 local days.");
        }

        var fingerprint = SlotCursor.Fingerprint(query.ScheduleId, type, window, query.Free, query.Busy);
        DateTimeOffset? after = null;
        if (query.Cursor is { } cursor && (after = SlotCursor.Decode(cursor, fingerprint)) is null)
        {
            return FhirOutcomes.Invalid("Parameter '_cursor': not a page link of this search; run the search again.");
        }

        var baseUrl = FhirBase.Of(http.Request, clinicId);
        if (!clinic.Providers.Any(p => p.Id == query.ScheduleId))
        {
            return new FhirResult(ResourceBundle.Of(baseUrl, "/Slot", 0, [], null));
        }

        var listed = await ProviderSlots.ListAsync(grains, clinicId, query.ScheduleId, type, window, query.Free, query.Busy);
        if (listed.Value is not { } slots)
        {
            return FhirErrors.From(listed.Error!);
        }

        var rest = slots.Where(s => after is null || s.Start > after).ToList();
        var page = rest.Take(query.Count).ToList();
        var next = rest.Count > page.Count ? "/Slot?" + NextQuery(query, type, window, zone, SlotCursor.Encode(page[^1].Start, fingerprint)) : null;
        return new FhirResult(ResourceBundle.Of(baseUrl, "/Slot", null, page.Select(s => SlotMapper.ToFhir(query.ScheduleId, type, s, zone)), next));
    }

    private static async Task<IResult> ReadAsync(string clinicId, string slotId, IGrainFactory grains, HttpContext http, IFhirHost host)
    {
        if (!Identifiers.IsValid(slotId) || SlotId.Parse(slotId) is not { } key)
        {
            return FhirOutcomes.Invalid("The Slot id is not a valid id.");
        }

        host.NoteResource(http, slotId);
        var clinic = await grains.GetGrain<IClinicGrain>(clinicId).GetAsync();
        var provider = clinic?.Providers.FirstOrDefault(p => SlotId.ProviderHash(p.Id) == key.ProviderHash);
        var type = clinic?.Settings.AppointmentTypes.FirstOrDefault(t => SlotId.TypeHash(t.Name) == key.TypeHash);
        if (clinic is null || provider is null || type is null)
        {
            return FhirOutcomes.NotFound("Slot");
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(clinic.Settings.TimeZone);
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(key.Start, zone).DateTime);
        var window = new SlotWindow(key.Start, key.Start.AddSeconds(1), date, date);
        var listed = await ProviderSlots.ListAsync(grains, clinicId, provider.Id, type.Name, window, free: true, busy: true);
        if (listed.Value is not { } slots)
        {
            return FhirErrors.From(listed.Error!);
        }

        return slots.FirstOrDefault(s => s.Start == key.Start) is { } slot
            ? new FhirResult(SlotMapper.ToFhir(provider.Id, type.Name, slot, zone))
            : FhirOutcomes.NotFound("Slot");
    }

    private static string? TypeOf(Clinic clinic, string? wanted)
    {
        var types = clinic.Settings.AppointmentTypes;
        var type = wanted is not null ? types.FirstOrDefault(t => string.Equals(t.Name, wanted, StringComparison.OrdinalIgnoreCase))
            : types.Count == 1 ? types[0] : null;
        return type?.Name;
    }

    // The next page repeats the search as ids, instants and codes (normalised: no submitted text) with the cursor.
    private static string NextQuery(SlotSearchQuery q, string type, SlotWindow window, TimeZoneInfo zone, string cursor)
    {
        var status = string.Join(',', new[] { q.Free ? "free" : null, q.Busy ? "busy" : null }.OfType<string>());
        var pairs = new (string, string)[]
        {
            ("schedule", "Schedule/" + q.ScheduleId), ("appointment-type", AppointmentMapper.AppointmentTypeSystem + "|" + type),
            ("start", "ge" + Instant(window.From, zone)), ("start", "lt" + Instant(window.To, zone)), ("status", status),
            ("_count", q.Count.ToString(CultureInfo.InvariantCulture)), ("_cursor", cursor),
        };
        return string.Join('&', pairs.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
    }

    private static string Instant(DateTimeOffset value, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(value, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
