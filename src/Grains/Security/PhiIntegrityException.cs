using System.Security.Cryptography;

namespace ClinicCluster.Security;

/// <summary>
/// A stored ciphertext that does not open for the record and field it was read from: it was
/// altered, or copied or swapped in from elsewhere. A data integrity fault, never a value to show;
/// the message names the record kind and field only.
/// </summary>
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

    public static PhiIntegrityException For(PhiField field, Exception? inner = null) =>
        new($"A protected {field} failed its integrity check (altered, or copied from another record or field).", inner!);
}
