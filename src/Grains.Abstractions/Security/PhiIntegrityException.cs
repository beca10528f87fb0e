using System.Security.Cryptography;

namespace ClinicCluster.Security;

/// <summary>
/// A stored ciphertext that does not open for the record and field it was read from: it was
/// altered, copied or swapped in from elsewhere, or sealed under another key. A data integrity
/// fault and a security event (the API answers problem <c>phi-integrity</c>, audits the attempt
/// with outcome <c>integrity-failure</c> and counts it), never a value to show. The message names
/// the record kind and field only; the ids travel in properties for the one log line that needs
/// them. Serializable, so the API receives it from the grain that read the value.
/// </summary>
[GenerateSerializer, Alias("cc.PhiIntegrityException")]
public sealed class PhiIntegrityException : CryptographicException
{
    public PhiIntegrityException()
        : base("A protected value failed its integrity check.")
    {
    }

    public PhiIntegrityException(string message)
        : base(message)
    {
    }

    public PhiIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The record kind, e.g. <c>patient</c> or <c>appointment</c>.</summary>
    [Id(0)]
    public string Record { get; init; } = "unknown";

    /// <summary>The record's opaque id (no PHI).</summary>
    [Id(1)]
    public string RecordId { get; init; } = "";

    /// <summary>The field name, e.g. <c>demographics</c>.</summary>
    [Id(2)]
    public string Field { get; init; } = "";

    /// <summary>The key-encryption key id the ciphertext names.</summary>
    [Id(3)]
    public string KeyId { get; init; } = "";

    public static PhiIntegrityException For(string record, string recordId, string field, string keyId, Exception? inner = null) =>
        new($"A protected {record} field '{field}' failed its integrity check (altered, or copied from another record or field).", inner!)
        {
            Record = record,
            RecordId = recordId,
            Field = field,
            KeyId = keyId,
        };

    /// <summary>The fault in <paramref name="exception"/> or its inner exceptions, or null.</summary>
    public static PhiIntegrityException? Find(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PhiIntegrityException fault)
            {
                return fault;
            }
        }

        return null;
    }
}
