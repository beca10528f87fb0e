using System.Text;
using System.Text.Json.Nodes;

namespace ClinicCluster.Security.Tests;

/// <summary>The victim's existing records that valid templates point at.</summary>
public sealed record Victim(string ClinicId, string ProviderId, string PatientId, string AppointmentId, string Mrn, string Day, string Start);

/// <summary>
/// A seeded, bounded generator of hostile requests against every endpoint: it starts from a
/// valid request and breaks one position (route id, query value, header, body value, body
/// shape, content type) with a value drawn from <see cref="HostileValues"/>. The same seed gives
/// the same requests.
/// </summary>
public sealed partial class HostileRequestGenerator(int seed, Victim victim, string token)
{
    /// <summary>Bodies beyond every route's limit: the API must answer 413, not buffer them.</summary>
    public const int OversizedBodyBytes = 2 * 1024 * 1024;

    private readonly Random _random = new(seed);
    private readonly JsonNode?[] _jsonValues = HostileValues.JsonValues();
    private readonly IReadOnlyList<Template> _templates = Templates(victim);

    public IReadOnlyList<string> EndpointNames => _templates.Select(t => t.Name).ToList();

    public HostileRequest Next()
    {
        var template = _templates[_random.Next(_templates.Count)];
        var mutation = _random.Next(100) switch
        {
            < 20 => "route-id",
            < 38 => "query",
            < 52 => "header",
            < 82 => template.Body is null && template.Form is null ? "query" : "body-value",
            < 90 => template.Body is null && template.Form is null ? "header" : "body-shape",
            < 95 => "content-type",
            _ => "none",
        };
        return Build(template, mutation);
    }

    private HostileRequest Build(Template template, string mutation)
    {
        var route = template.Route;
        var query = template.Query.Select(q => new KeyValuePair<string, string>(q.Key, Uri.EscapeDataString(q.Value))).ToList();
        var headers = new List<KeyValuePair<string, string>> { new("Authorization", "Bearer " + token) };
        if (template.Idempotent)
        {
            headers.Add(new("Idempotency-Key", "hostile-" + _random.Next(1_000_000)));
        }

        var body = template.Body?.Invoke();
        byte[]? bytes = body is not null ? Encoding.UTF8.GetBytes(body.ToJsonString()) : template.Form is { } form ? Encoding.UTF8.GetBytes(form) : null;
        var contentType = bytes is null ? null : template.ContentType;
        var mayAbort = false;
        var detail = mutation;

        switch (mutation)
        {
            case "route-id":
                var slots = new[] { "{c}", "{p}", "{pt}", "{a}", "{s}" }.Where(s => route.Contains(s, StringComparison.Ordinal)).ToArray();
                if (slots.Length > 0)
                {
                    var slot = Pick(slots);
                    var value = Pick(HostileValues.RouteIds);
                    route = route.Replace(slot, value, StringComparison.Ordinal);
                    detail = $"route-id {slot}={Shorten(value)}";
                }

                break;
            case "query":
                detail = MutateQuery(query);
                break;
            case "header":
                detail = MutateHeaders(headers, template);
                break;
            case "body-value" when template.Form is not null:
                detail = MutateForm(template.Form, out bytes);
                break;
            case "body-value":
                detail = MutateBodyValue(body!, out bytes);
                break;
            case "body-shape" when template.Form is not null && _random.Next(2) == 0:
                (detail, bytes, contentType) = MutateFhirBody(contentType);
                break;
            case "body-shape":
                (detail, bytes, mayAbort) = MutateBodyShape(bytes!);
                break;
            case "content-type":
                contentType = Pick(HostileValues.ContentTypes);
                bytes ??= Encoding.UTF8.GetBytes("{}");
                detail = "content-type " + (contentType ?? "none");
                break;
        }

        var path = Fill(route) + (query.Count == 0 ? "" : "?" + string.Join("&", query.Select(q => $"{q.Key}={q.Value}")));
        return new HostileRequest(template.Name, detail, template.Method, path, headers, bytes, contentType, mayAbort);
    }

    private string MutateQuery(List<KeyValuePair<string, string>> query)
    {
        var choice = _random.Next(10);
        if (query.Count == 0 || choice == 0)
        {
            var name = _random.Next(3) == 0 ? Pick(FhirQueryNames)
                : Pick(["limit", "after", "from", "to", "mrn", "name", "patientId", "actor", "date", "type", "unknown", "%00", "a%0Ab", "cursor", "providers", "specialty"]);
            query.Add(new(name, Pick(HostileValues.QueryValues)));
            return "query add " + name;
        }

        var index = _random.Next(query.Count);
        if (choice == 1)
        {
            var removed = query[index].Key;
            query.RemoveAt(index);
            return "query drop " + removed;
        }

        if (choice == 2)
        {
            query.Add(new(query[index].Key, Pick(HostileValues.QueryValues)));
            return "query duplicate " + query[index].Key;
        }

        var value = Pick(HostileValues.QueryValues);
        query[index] = new(query[index].Key, value);
        return $"query {query[index].Key}={Shorten(value)}";
    }

    private string MutateHeaders(List<KeyValuePair<string, string>> headers, Template template)
    {
        var name = Pick(["Authorization", "Authorization", "Idempotency-Key", "X-Purpose-Of-Use", "User-Agent", "Content-Type", "Accept", "X-Forwarded-For", "Host"]);
        var value = Pick(HostileValues.HeaderValues);
        switch (_random.Next(4))
        {
            case 0:
                headers.RemoveAll(h => h.Key == name);
                return "header drop " + name;
            case 1:
                headers.Add(new(name, value.Length == 0 ? "second" : value));
                return "header duplicate " + name;
            default:
                headers.RemoveAll(h => h.Key == name);
                headers.Add(new(name, value));
                return $"header {name}={Shorten(value)}{(template.Idempotent ? " (booking)" : "")}";
        }
    }

    private string MutateBodyValue(JsonNode body, out byte[] bytes)
    {
        var positions = new List<(JsonNode Parent, object Key)>();
        Collect(body, positions);
        var (parent, key) = positions[_random.Next(positions.Count)];
        var value = Pick(_jsonValues)?.DeepClone();
        string where;
        switch (_random.Next(8))
        {
            case 0 when parent is JsonObject removeFrom && key is string removed:
                removeFrom.Remove(removed);
                where = "drop " + removed;
                break;
            case 1 when parent is JsonObject addTo:
                addTo["unknown" + _random.Next(10)] = value;
                where = "add unknown";
                break;
            default:
                if (parent is JsonObject o && key is string property)
                {
                    o[property] = value;
                    where = property;
                }
                else
                {
                    ((JsonArray)parent)[(int)key] = value;
                    where = $"[{key}]";
                }

                break;
        }

        bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        return $"body {where}={Shorten(value?.ToJsonString() ?? "null")}";
    }

    private (string Detail, byte[] Bytes, bool MayAbort) MutateBodyShape(byte[] valid)
    {
        switch (_random.Next(6))
        {
            case 0:
                var cut = _random.Next(valid.Length);
                return ($"truncated at {cut}", valid[..cut], false);
            case 1:
                var raw = Pick(HostileValues.RawBodies);
                return ($"raw {Shorten(raw)}", Encoding.UTF8.GetBytes(raw), false);
            case 2:
                // Not UTF-8 at all.
                var broken = valid.ToArray();
                broken[_random.Next(broken.Length)] = 0xFF;
                return ("invalid utf-8", broken, false);
            case 3:
                var padded = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('p', OversizedBodyBytes) + "\"}");
                return ("oversized", padded, true);
            case 4:
                var deep = new string('{', 0) + string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000);
                return ("deeply nested", Encoding.UTF8.GetBytes(deep), false);
            default:
                var text = Encoding.UTF8.GetString(valid);
                var at = _random.Next(text.Length);
                return ("control character inserted", Encoding.UTF8.GetBytes(text.Insert(at, Pick(["\0", "\n", "\u0001", "\\u0000"]))), false);
        }
    }

    private static void Collect(JsonNode node, List<(JsonNode, object)> positions)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    positions.Add((o, key));
                    if (child is not null)
                    {
                        Collect(child, positions);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    positions.Add((a, i));
                    if (a[i] is { } child)
                    {
                        Collect(child, positions);
                    }
                }

                break;
        }
    }

    private string Fill(string route) => route
        .Replace("{c}", victim.ClinicId, StringComparison.Ordinal)
        .Replace("{pt}", victim.PatientId, StringComparison.Ordinal)
        .Replace("{p}", victim.ProviderId, StringComparison.Ordinal)
        .Replace("{a}", victim.AppointmentId, StringComparison.Ordinal)
        .Replace("{s}", VictimSlotId(victim), StringComparison.Ordinal);

    private T Pick<T>(IReadOnlyList<T> values) => values[_random.Next(values.Count)];

    private static string Shorten(string value) => value.Length <= 24 ? value : value[..24] + $"...({value.Length})";

    private sealed record Template(string Name, HttpMethod Method, string Route, Func<JsonNode>? Body = null, bool Idempotent = false)
    {
        public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];

        /// <summary>The body's media type: JSON, or NDJSON for the import (whose one-line body is a JSON object).</summary>
        public string ContentType { get; init; } = "application/json";

        /// <summary>A form body (FHIR POST _search), already percent-encoded, instead of a JSON one.</summary>
        public string? Form { get; init; }
    }

    private const string Webhook = "whk-0123456789abcdef0123456789abcdef";

    private static List<Template> Templates(Victim v)
    {
        var week = string.Join(",", new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
            .Select(d => $"{{\"day\":\"{d}\",\"start\":\"08:00:00\",\"end\":\"20:00:00\"}}"));
        string Types() => "[{\"name\":\"checkup\",\"durationMinutes\":30,\"bufferMinutes\":10}]";
        // Every policy field, the visit-time ones included, so each is a position the generator breaks.
        string Policy() => "{\"minimumNoticeMinutes\":120,\"maximumHorizonDays\":90,\"cancellationCutoffMinutes\":1440,\"slotIntervalMinutes\":15,"
            + "\"checkInOpensMinutes\":120,\"checkInGraceMinutes\":30,\"noShowGraceMinutes\":15}";
        JsonNode Parse(string json) => JsonNode.Parse(json)!;
        JsonNode Patient() => Parse($"{{\"mrn\":\"{v.Mrn}\",\"givenName\":\"Ana\",\"familyName\":\"Hostile\",\"birthDate\":\"1980-01-31\",\"sex\":\"female\",\"phone\":\"+1 212 555 0100\",\"email\":\"ana@example.org\",\"address\":{{\"line1\":\"1 Main St\",\"line2\":null,\"city\":\"Springfield\",\"region\":\"NY\",\"postalCode\":\"10001\",\"country\":\"US\"}}}}");
        JsonNode Provider() => Parse($"{{\"name\":\"Dr. Hostile\",\"specialty\":\"Family medicine\",\"workingHours\":[{week}],\"timeOff\":[{{\"start\":\"{v.Day}T00:00:00Z\",\"end\":\"{v.Day}T01:00:00Z\"}}]}}");

        var c = "/api/clinics/{c}";
        return
        [
            new("CreateClinic", HttpMethod.Post, "/api/clinics", () => Parse($"{{\"id\":\"{{c}}-new\",\"name\":\"Clinic\",\"timeZone\":\"America/New_York\",\"appointmentTypes\":{Types()},\"policy\":{Policy()}}}".Replace("{c}", v.ClinicId, StringComparison.Ordinal))),
            new("GetClinic", HttpMethod.Get, c),
            new("UpdateClinic", HttpMethod.Put, c, () => Parse($"{{\"name\":\"Clinic\",\"timeZone\":\"America/New_York\",\"appointmentTypes\":{Types()},\"policy\":{Policy()}}}")),
            new("AddProvider", HttpMethod.Post, c + "/providers", Provider),
            new("ListProviders", HttpMethod.Get, c + "/providers"),
            new("GetProvider", HttpMethod.Get, c + "/providers/{p}"),
            new("UpdateProvider", HttpMethod.Put, c + "/providers/{p}", Provider),
            new("GetAvailability", HttpMethod.Get, c + "/providers/{p}/availability") { Query = [new("from", v.Day), new("to", v.Day), new("type", "checkup")] },
            new("FindClinicAvailability", HttpMethod.Get, c + "/availability")
            {
                Query = [new("type", "checkup"), new("from", v.Day), new("to", v.Day), new("providers", v.ProviderId), new("specialty", "Family medicine"), new("limit", "5")],
            },
            new("PlaceHold", HttpMethod.Post, c + "/holds", () => Parse($"{{\"patientId\":\"{v.PatientId}\",\"providerId\":\"{v.ProviderId}\",\"appointmentType\":\"checkup\",\"start\":\"{v.Start}\",\"minutes\":5}}")),
            new("ReleaseHold", HttpMethod.Delete, c + "/holds/hld-0123456789abcdef-" + v.ProviderId),
            // Loopback: the suite's silo refuses it (SSRF guard), so no request of the suite leaves the machine.
            new("CreateWebhookSubscription", HttpMethod.Post, c + "/webhooks", () => Parse("{\"url\":\"https://127.0.0.1/hook\",\"eventTypes\":[\"appointment.booked\",\"waitlist.offered\"]}")),
            new("ListWebhookSubscriptions", HttpMethod.Get, c + "/webhooks"),
            new("DeleteWebhookSubscription", HttpMethod.Delete, c + "/webhooks/" + Webhook),
            new("RotateWebhookSecret", HttpMethod.Post, c + "/webhooks/" + Webhook + "/secrets"),
            new("ReplayWebhookDeadLetters", HttpMethod.Post, c + "/webhooks/" + Webhook + "/replay"),
            new("JoinWaitlist", HttpMethod.Post, c + "/waitlist", () => Parse($"{{\"patientId\":\"{v.PatientId}\",\"appointmentType\":\"checkup\",\"providerId\":\"{v.ProviderId}\",\"from\":\"{v.Day}\",\"to\":\"{v.Day}\",\"minimumNoticeMinutes\":60,\"priority\":1}}")),
            new("ListWaitlist", HttpMethod.Get, c + "/waitlist") { Query = [new("limit", "10")] },
            new("LeaveWaitlist", HttpMethod.Delete, c + "/waitlist/wle-0123456789abcdef"),
            new("AcceptWaitlistOffer", HttpMethod.Post, c + "/waitlist/offers/wof-0123456789abcdef/accept"),
            new("DeclineWaitlistOffer", HttpMethod.Post, c + "/waitlist/offers/wof-0123456789abcdef/decline"),
            new("BookSeries", HttpMethod.Post, c + "/series", () => Parse($"{{\"patientId\":\"{v.PatientId}\",\"providerId\":\"{v.ProviderId}\",\"appointmentType\":\"checkup\",\"start\":\"{v.Start}\",\"rule\":\"FREQ=WEEKLY;INTERVAL=2;COUNT=3\",\"mode\":\"book-what-is-free\",\"reason\":\"course\"}}"), Idempotent: true),
            new("GetSeries", HttpMethod.Get, c + "/series/ser-0123456789abcdef"),
            new("CancelSeriesFrom", HttpMethod.Post, c + "/series/ser-0123456789abcdef/cancel", () => Parse("{\"fromIndex\":1,\"reason\":\"moved\",\"reasonCode\":\"patient-request\"}")),
            new("RegisterPatient", HttpMethod.Post, c + "/patients", Patient),
            new("ImportPatients", HttpMethod.Post, c + "/patients/import", Patient) { ContentType = "application/x-ndjson", Query = [new("firstLine", "1")] },
            new("SearchPatients", HttpMethod.Get, c + "/patients") { Query = [new("mrn", v.Mrn), new("limit", "5")] },
            new("SearchPatientsByName", HttpMethod.Get, c + "/patients") { Query = [new("name", "Hos"), new("limit", "5")] },
            new("GetPatient", HttpMethod.Get, c + "/patients/{pt}"),
            new("UpdatePatient", HttpMethod.Put, c + "/patients/{pt}", Patient),
            new("ListPatientAppointments", HttpMethod.Get, c + "/patients/{pt}/appointments")
            {
                Query = [new("from", "2026-01-01T00:00:00Z"), new("to", "2030-01-01T00:00:00Z"), new("limit", "10")],
            },
            new("BookAppointment", HttpMethod.Post, c + "/appointments", () => Parse($"{{\"patientId\":\"{v.PatientId}\",\"providerId\":\"{v.ProviderId}\",\"appointmentType\":\"checkup\",\"start\":\"{v.Start}\",\"reason\":\"visit\"}}"), Idempotent: true),
            new("GetAppointment", HttpMethod.Get, c + "/appointments/{a}"),
            new("RescheduleAppointment", HttpMethod.Post, c + "/appointments/{a}/reschedule", () => Parse($"{{\"start\":\"{v.Start}\"}}")),
            new("CancelAppointment", HttpMethod.Post, c + "/appointments/{a}/cancel", () => Parse("{\"reason\":\"called\",\"reasonCode\":\"patient-request\"}")),
            new("CheckInAppointment", HttpMethod.Post, c + "/appointments/{a}/check-in"),
            new("CompleteAppointment", HttpMethod.Post, c + "/appointments/{a}/complete"),
            new("MarkNoShow", HttpMethod.Post, c + "/appointments/{a}/no-show"),
            new("ListProviderAppointments", HttpMethod.Get, c + "/providers/{p}/appointments") { Query = [new("date", v.Day)] },
            new("ListAuditEvents", HttpMethod.Get, c + "/audit/events") { Query = [new("patientId", v.PatientId), new("actor", "security-admin"), new("from", "2026-01-01T00:00:00Z"), new("to", "2030-01-01T00:00:00Z"), new("after", "0"), new("limit", "10")] },
            new("ExportDisclosures", HttpMethod.Get, c + "/audit/patients/{pt}/disclosures"),
            new("Health", HttpMethod.Get, "/health/ready"),
            new("OpenApi", HttpMethod.Get, "/openapi/v1.json"),
            .. FhirTemplates(v),
        ];
    }
}
