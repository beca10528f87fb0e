using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace ClinicCluster.LoadGen;

/// <summary>
/// What the drills check after a fault: every 503 must carry <c>Retry-After</c> (counted both
/// ways), and with <c>--acks FILE</c> every acknowledged write is listed, one per line, so a
/// script can look each up afterwards: <c>booking &lt;appointment id&gt;</c> for a 201 booking,
/// <c>read &lt;patient id&gt;</c> for a 200 patient read (each must leave one audit event).
/// Ids only, never PHI. Server errors are also counted per second (<c>failuresBySecond</c>).
/// </summary>
public sealed class Acknowledgements : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StreamWriter? _acks;
    private long _withRetryAfter;
    private long _withoutRetryAfter;

    // Server errors by the Unix second they were answered in: the drills read the recovery time off it.
    private readonly ConcurrentDictionary<long, long> _failuresBySecond = new();

    public Acknowledgements(string? acksPath) =>
        _acks = acksPath is null ? null : new StreamWriter(acksPath, append: false) { AutoFlush = false };

    /// <summary>Called for every measured answer (see <see cref="ClinicClient.Observe"/>).</summary>
    public void Observe(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            Interlocked.Increment(ref response.Headers.RetryAfter is null ? ref _withoutRetryAfter : ref _withRetryAfter);
        }

        if ((int)response.StatusCode >= 500)
        {
            _failuresBySecond.AddOrUpdate(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 1, (_, n) => n + 1);
        }

        if (_acks is null || request.RequestUri is null)
        {
            return;
        }

        var line = (request.Method.Method, (int)response.StatusCode) switch
        {
            ("POST", 201) when response.Headers.Location is { } location => "booking " + LastSegment(location.OriginalString),
            ("GET", 200) when IsPatientRead(PathOf(request.RequestUri)) => "read " + LastSegment(PathOf(request.RequestUri)),
            _ => null,
        };
        if (line is not null)
        {
            lock (_lock)
            {
                _acks.WriteLine(line);
            }
        }
    }

    public IReadOnlyDictionary<string, object> Checks() => new Dictionary<string, object>
    {
        ["serviceUnavailableWithRetryAfter"] = Interlocked.Read(ref _withRetryAfter),
        ["serviceUnavailableWithoutRetryAfter"] = Interlocked.Read(ref _withoutRetryAfter),
        ["failuresBySecond"] = new SortedDictionary<string, long>(_failuresBySecond.ToDictionary(f => f.Key.ToString(CultureInfo.InvariantCulture), f => f.Value), StringComparer.Ordinal),
    };

    public void Dispose()
    {
        lock (_lock)
        {
            _acks?.Dispose();
        }
    }

    // The client has made the request's address absolute by the time it answers.
    private static string PathOf(Uri uri) => uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString;

    // "/api/clinics/{c}/patients/{p}" exactly: the list of a patient's appointments is another query.
    private static bool IsPatientRead(string path)
    {
        var segments = path.Split('?')[0].Trim('/').Split('/');
        return segments.Length == 5 && segments[0] == "api" && segments[1] == "clinics" && segments[3] == "patients";
    }

    private static string LastSegment(string path) =>
        Uri.UnescapeDataString(path.Split('?')[0].TrimEnd('/').Split('/')[^1]);
}
