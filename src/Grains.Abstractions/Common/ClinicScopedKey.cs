namespace ClinicCluster.Common;

/// <summary>
/// Grain keys for everything that belongs to a clinic are "{clinicId}/{id}": the tenant is part of
/// the identity, so no grain can be addressed without naming its clinic.
/// </summary>
public static class ClinicScopedKey
{
    private const char Separator = '/';

    public static string Format(string clinicId, string id) => string.Concat(clinicId, "/", id);

    public static (string ClinicId, string Id) Parse(string key)
    {
        var index = key.IndexOf(Separator, StringComparison.Ordinal);
        if (index <= 0 || index == key.Length - 1)
        {
            throw new ArgumentException("A clinic-scoped grain key has the form '{clinicId}/{id}'.", nameof(key));
        }

        return (key[..index], key[(index + 1)..]);
    }
}
