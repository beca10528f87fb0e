using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ClinicCluster.Audit;

/// <summary>
/// The per-clinic keyed hash chain: each record's hash is an HMAC-SHA-256, under a chain key the
/// database never holds, of the previous record's hash and a canonical form of its event. Changing,
/// removing or inserting a row breaks every later link, and without the key nobody (an intruder
/// with insert rights, the database owner) can compute a consistent replacement tail.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of a clinic's first record.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>One link: the record's hash from the previous record's hash and the event.</summary>
    public static string Hash(string previousHash, AuditEvent auditEvent, AuditChainKey key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key.Secret, Encoding.UTF8.GetBytes(previousHash + "\n" + Canonical(auditEvent))));

    /// <summary>The record that follows <paramref name="previousHash"/> at <paramref name="sequence"/>, linked under the key.</summary>
    public static AuditRecord Link(long sequence, string previousHash, AuditEvent auditEvent, AuditChainKey key) =>
        new(sequence, auditEvent, previousHash, Hash(previousHash, auditEvent, key), key.Id);

    /// <summary>
    /// The unkeyed SHA-256 link of rows written before the chain was keyed (their key id is null).
    /// Verification accepts such rows only before the first keyed row and never after it.
    /// </summary>
    public static string UnkeyedHash(string previousHash, AuditEvent auditEvent) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previousHash + "\n" + Canonical(auditEvent))));

    /// <summary>
    /// The event as fixed-order JSON with invariant formats. Times are cut to microseconds, the
    /// precision PostgreSQL keeps, so a row read back hashes to the same value.
    /// </summary>
    public static string Canonical(AuditEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("eventId", e.EventId.ToString("D"));
            json.WriteString("recordedAt", ToMicroseconds(e.RecordedAt).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("clinicId", e.ClinicId);
            json.WriteString("action", e.Action.ToString());
            json.WriteString("outcome", e.Outcome.ToString());
            json.WriteString("actorSubject", e.Actor.Subject);
            json.WriteString("actorRole", e.Actor.Role);
            json.WriteString("clientAddress", e.Actor.ClientAddress);
            json.WriteString("userAgent", e.Actor.UserAgent);
            json.WriteString("patientId", e.PatientId);
            json.WriteString("resourceType", e.ResourceType);
            json.WriteString("resourceId", e.ResourceId);
            json.WriteString("operation", e.Operation);
            json.WriteNumber("httpStatus", e.HttpStatus);
            json.WriteString("purposeOfUse", e.PurposeOfUse);
            json.WriteString("correlationId", e.CorrelationId);
            json.WriteString("queryKind", e.QueryKind);
            if (e.ResultCount is { } count)
            {
                json.WriteNumber("resultCount", count);
            }
            else
            {
                json.WriteNull("resultCount");
            }

            // Only when present, so events from before the field existed keep their canonical form.
            if (e.DisclosedPatientIds is { } disclosed)
            {
                json.WriteStartArray("disclosedPatientIds");
                foreach (var id in disclosed)
                {
                    json.WriteStringValue(id);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>An instant in UTC, cut to whole microseconds.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }
}
