using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Memory;

namespace ClinicCluster.Fhir.Patients;

/// <summary>
/// The next pages of a search, held here so the <c>next</c> link carries only a random token and
/// never the search text (names stay out of URLs and logs). A cursor holds the ids the search
/// matched when it ran (so walking the pages gives no duplicates or gaps), belongs to one caller in
/// one clinic, and expires after <see cref="Lifetime"/>. Held in this API instance's memory: behind
/// several instances without affinity a cursor may be unknown to the next one (docs/fhir.md).
/// </summary>
public sealed class SearchCursors : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _cursors = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    /// <summary>A new cursor for the ids from <paramref name="offset"/> on; returns its token.</summary>
    public string Open(SearchCursor cursor)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _cursors.Set(token, cursor, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        return token;
    }

    /// <summary>The cursor, when it exists and belongs to this caller and clinic.</summary>
    public SearchCursor? Find(string token, string clinicId, string subject) =>
        _cursors.TryGetValue(token, out SearchCursor? cursor) && cursor!.ClinicId == clinicId && cursor.Subject == subject ? cursor : null;

    public void Dispose() => _cursors.Dispose();
}

/// <summary>One search's remaining results: the matched ids, where the next page starts, and its size.</summary>
public sealed record SearchCursor(string ClinicId, string Subject, string QueryKind, IReadOnlyList<string> Ids, int Offset, int Count);
