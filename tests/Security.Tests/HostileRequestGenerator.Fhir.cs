using System.Text;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// The FHIR routes in the seeded hostile suite: every route under <c>/fhir/clinics/{c}</c> with a
/// valid baseline (ids of the victim, every search parameter, <c>_count</c>, <c>_format</c>), and
/// the directory and Slot routes (a Slot id as <c>{s}</c>), and for <c>POST Patient/_search</c> a form body whose fields, shape and content type are broken:
/// control characters, overlong values, XML (with an entity bomb and an external entity), deep JSON.
/// </summary>
public sealed partial class HostileRequestGenerator
{
    public const string FormMediaType = "application/x-www-form-urlencoded";

    private static readonly string[] FhirQueryNames = ["_count", "_format", "_id", "identifier", "family", "given", "birthdate", "patient", "_cursor", "_page", "_summary",
        "schedule", "start", "status", "appointment-type", "name", "actor"];

    /// <summary>XML and other non-form bodies a FHIR client might send (the facade serves JSON only).</summary>
    private static readonly string[] FhirRawBodies =
    [
        "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
            + "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">]><Parameters xmlns=\"http://hl7.org/fhir\"><name value=\"&e;\"/></Parameters>",
        "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Parameters xmlns=\"http://hl7.org/fhir\"><name value=\"&x;\"/></Parameters>",
        "<Parameters xmlns=\"http://hl7.org/fhir\">" + string.Concat(Enumerable.Repeat("<part>", 3000)) + string.Concat(Enumerable.Repeat("</part>", 3000)) + "</Parameters>",
        "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"name\",\"valueString\":\"Hos\"}]}",
        string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000),
        "name=%ZZ", "name=%", "name=a%00b", "=x", "&&&", "name", string.Join("&", Enumerable.Range(0, 5000).Select(i => $"p{i}=x")),
        "name=" + new string('n', 200_000),
    ];

    private static readonly string?[] FhirContentTypes =
    [
        null, "application/fhir+xml", "application/xml", "text/xml", "application/json", "application/fhir+json", "text/plain",
        "multipart/form-data; boundary=x", "application/x-www-form-urlencoded; charset=utf-16", "application/x-www-form-urlencodedx",
    ];

    private static IEnumerable<Template> FhirTemplates(Victim v)
    {
        var f = "/fhir/clinics/{c}";
        return
        [
            new("FhirCapabilities", HttpMethod.Get, f + "/metadata") { Query = [new("_format", "json")] },
            new("FhirSmartConfiguration", HttpMethod.Get, f + "/.well-known/smart-configuration"),
            new("FhirReadPatient", HttpMethod.Get, f + "/Patient/{pt}") { Query = [new("_format", "application/fhir+json")] },
            new("FhirSearchPatient", HttpMethod.Get, f + "/Patient") { Query = [new("identifier", "https://clinic-cluster.dev/fhir/sid/mrn|" + v.Mrn), new("_count", "5")] },
            new("FhirSearchPatientByName", HttpMethod.Get, f + "/Patient/_search") { Query = [new("family", "Hos"), new("given", "An"), new("birthdate", "1980-01-31")] },
            new("FhirSearchPatientPost", HttpMethod.Post, f + "/Patient/_search") { Form = $"_id={v.PatientId}&_count=5", ContentType = FormMediaType },
            new("FhirReadAppointment", HttpMethod.Get, f + "/Appointment/{a}"),
            new("FhirReadPractitioner", HttpMethod.Get, f + "/Practitioner/{p}"),
            new("FhirReadSchedule", HttpMethod.Get, f + "/Schedule/{p}"),
            new("FhirSearchPractitioner", HttpMethod.Get, f + "/Practitioner") { Query = [new("name", "Dr"), new("_count", "5")] },
            new("FhirSearchSchedule", HttpMethod.Get, f + "/Schedule") { Query = [new("actor", "Practitioner/" + v.ProviderId), new("_id", v.ProviderId)] },
            new("FhirSearchSlot", HttpMethod.Get, f + "/Slot")
            {
                Query = [new("schedule", "Schedule/" + v.ProviderId), new("start", "ge" + v.Day), new("status", "free,busy"), new("appointment-type", "checkup"), new("_count", "5")],
            },
            new("FhirReadSlot", HttpMethod.Get, f + "/Slot/{s}"),
            new("FhirReadOrganization", HttpMethod.Get, f + "/Organization/{c}"),
            new("FhirReadLocation", HttpMethod.Get, f + "/Location/{c}"),
            new("FhirSearchAuditEvent", HttpMethod.Get, f + "/AuditEvent") { Query = [new("patient", v.PatientId), new("date", "ge2026-01-01"), new("_count", "5")] },
        ];
    }

    // The victim's booked visit (10:00, an hour before the free start the reschedule uses) as a busy Slot's id.
    private static string VictimSlotId(Victim v) =>
        ClinicCluster.Fhir.Slots.SlotId.Of(v.ProviderId, "checkup", DateTimeOffset.Parse(v.Start, System.Globalization.CultureInfo.InvariantCulture).AddHours(-1));

    // One form field gets a hostile (already percent-encoded) value, or a field is dropped, repeated or added.
    private string MutateForm(string form, out byte[] bytes)
    {
        var fields = form.Split('&').Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p.Length > 1 ? p[1] : "")).ToList();
        var detail = MutateQuery(fields);
        bytes = Encoding.UTF8.GetBytes(string.Join("&", fields.Select(q => $"{q.Key}={q.Value}")));
        return "form " + detail;
    }

    private (string Detail, byte[] Bytes, string? ContentType) MutateFhirBody(string? contentType)
    {
        var raw = Pick(FhirRawBodies);
        var type = _random.Next(2) == 0 ? contentType : Pick(FhirContentTypes);
        return ($"fhir body {Shorten(raw)} as {type ?? "none"}", Encoding.UTF8.GetBytes(raw), type);
    }
}
