using System.Diagnostics;

namespace ClinicCluster.LoadGen;

/// <summary>Collects every request's latency and status; status 0 stands for a client-side failure (no answer).</summary>
public sealed class Recorder
{
    private readonly Lock _lock = new();
    private readonly List<double> _latencies = [];
    private readonly SortedDictionary<int, long> _statuses = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private TimeSpan? _elapsed;

    public void Record(TimeSpan latency, int status)
    {
        lock (_lock)
        {
            _latencies.Add(latency.TotalMilliseconds);
            _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
        }
    }

    /// <summary>Stops the clock: throughput is over the time the load ran, not the report.</summary>
    public void Stop() => _elapsed ??= _clock.Elapsed;

    public Report Report(LoadOptions options, long dropped, IReadOnlyDictionary<string, object>? extra = null)
    {
        Stop();
        lock (_lock)
        {
            var sorted = _latencies.Order().ToArray();
            var seconds = _elapsed!.Value.TotalSeconds;
            return new Report(
                options.Scenario,
                options.OpenLoop ? "open" : "closed",
                options.Connections,
                options.OpenLoop ? options.Rate : null,
                Math.Round(seconds, 3),
                sorted.Length,
                Math.Round(sorted.Length / seconds, 1),
                new Latency(Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted.Length == 0 ? 0 : Math.Round(sorted[^1], 2)),
                _statuses.ToDictionary(s => s.Key == 0 ? "error" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Value),
                dropped,
                Math.Round(_startedAt.ToUnixTimeMilliseconds() / 1000.0, 3),
                Math.Round((_startedAt + _elapsed.Value).ToUnixTimeMilliseconds() / 1000.0, 3),
                extra ?? new Dictionary<string, object>());
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 2);
}

public sealed record Latency(double P50, double P95, double P99, double Max);

/// <summary>
/// What one run measured; written as JSON with <c>--out</c>. The measured window (Unix seconds)
/// lets scripts/bench.sh attribute CPU time to exactly these requests, without seeding or warm-up.
/// </summary>
public sealed record Report(
    string Scenario,
    string Mode,
    int Connections,
    double? Rate,
    double DurationSeconds,
    long Requests,
    double Throughput,
    Latency LatencyMs,
    Dictionary<string, long> Statuses,
    long Dropped,
    double StartedAtUnix,
    double EndedAtUnix,
    IReadOnlyDictionary<string, object> Checks);
