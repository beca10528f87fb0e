using System.Globalization;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>
/// Numbers about a load run: outcomes by status, and availability around an event (a kill): the
/// longest interval without any decided booking (201 or 409), and how long the bookings that
/// failed because of the event took to succeed on their retries.
/// </summary>
public sealed record LoadReport(
    int Attempts,
    int Bookings,
    int Acknowledged,
    int Reads,
    IReadOnlyDictionary<string, int> ByStatus,
    int ClientExceptions,
    double DurationSeconds,
    double LongestGapSeconds,
    double LongestGapFrom,
    double LongestGapTo,
    double? EventAt,
    double? GapAfterEventSeconds,
    double? ResumedAfterEventSeconds,
    double? FirstFailureAfterEvent,
    double? LastFailureAfterEvent,
    int BookingsFailedAfterEvent,
    double? RecoveryAfterEventSeconds,
    double SlowestRequestSeconds,
    string SlowestRequest,
    double P99Seconds)
{
    public static LoadReport From(LoadRun load, double? eventAt = null)
    {
        var attempts = load.Attempts;
        var lastFinished = attempts.Count == 0 ? 0 : attempts.Max(a => a.Finished);

        // Up to the moment the load was stopped: after it no new requests start, and the silence
        // while the last ones finish is not an outage (their latency shows as the slowest request).
        var end = Math.Min(lastFinished, load.StoppedAt ?? lastFinished);
        var decisions = attempts.Where(a => a.IsBookingDecision && a.Finished <= end).Select(a => a.Finished).Order().ToList();
        var slowest = attempts.OrderByDescending(a => a.Finished - a.Started).FirstOrDefault();

        // The longest stretch without a decided booking, counting the end of the run.
        var points = new List<double> { decisions.FirstOrDefault(0) };
        points.AddRange(decisions);
        points.Add(end);
        var (gap, gapFrom, gapTo) = (0.0, 0.0, 0.0);
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i] - points[i - 1] > gap)
            {
                (gap, gapFrom, gapTo) = (points[i] - points[i - 1], points[i - 1], points[i]);
            }
        }

        double? gapAfter = null, resumed = null, firstFailure = null, lastFailure = null, recovery = null;
        var failedKeys = 0;
        if (eventAt is { } at)
        {
            // The longest stall that was still going on after the event, and when decisions resumed.
            gapAfter = 0;
            resumed = 0;
            for (var i = 1; i < points.Count; i++)
            {
                if (points[i] > at && points[i] - points[i - 1] > gapAfter)
                {
                    (gapAfter, resumed) = (points[i] - points[i - 1], points[i] - at);
                }
            }

            var failures = attempts.Where(a => a.IsBooking && a.Finished > at && !a.IsBookingDecision).ToList();
            firstFailure = failures.Count == 0 ? null : failures.Min(a => a.Finished) - at;
            lastFailure = failures.Count == 0 ? null : failures.Max(a => a.Finished) - at;

            // Each failed booking is retried with the same key: when did the last of them succeed?
            var keys = failures.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
            failedKeys = keys.Count;
            var recovered = attempts.Where(a => a.IsBookingDecision && keys.Contains(a.Key)).ToList();
            recovery = keys.Count == 0 ? 0 : recovered.Count == keys.Count ? recovered.Max(a => a.Finished) - at : null;
        }

        return new LoadReport(
            Attempts: attempts.Count,
            Bookings: attempts.Where(a => a.IsBooking).Select(a => a.Key).Distinct(StringComparer.Ordinal).Count(),
            Acknowledged: load.Acknowledged.Count,
            Reads: attempts.Count(a => a.Kind == LoadRun.ReadKind),
            ByStatus: attempts.GroupBy(a => $"{a.Kind} {(a.Status == 0 ? "exception" : a.Status.ToString(CultureInfo.InvariantCulture))}")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count()),
            ClientExceptions: attempts.Count(a => a.Status == 0),
            DurationSeconds: Round(lastFinished),
            LongestGapSeconds: Round(gap),
            LongestGapFrom: Round(gapFrom),
            LongestGapTo: Round(gapTo),
            EventAt: eventAt is null ? null : Round(eventAt.Value),
            GapAfterEventSeconds: Round(gapAfter),
            ResumedAfterEventSeconds: Round(resumed),
            FirstFailureAfterEvent: Round(firstFailure),
            LastFailureAfterEvent: Round(lastFailure),
            BookingsFailedAfterEvent: failedKeys,
            RecoveryAfterEventSeconds: Round(recovery),
            SlowestRequestSeconds: slowest is null ? 0 : Round(slowest.Finished - slowest.Started),
            SlowestRequest: slowest is null ? "" : $"{slowest.Kind} {slowest.Key} at t={Round(slowest.Started)}: {slowest.Status}",
            P99Seconds: Round(Percentile(attempts.Select(a => a.Finished - a.Started).ToList(), 0.99)));
    }

    public override string ToString() =>
        $"{Attempts} attempts ({Bookings} bookings, {Acknowledged} acknowledged, {Reads} reads) in {DurationSeconds} s; " +
        $"outcomes: {string.Join(", ", ByStatus.Select(p => $"{p.Key}: {p.Value}"))}; " +
        $"longest gap without a decided booking {LongestGapSeconds} s (t={LongestGapFrom}..{LongestGapTo}); " +
        $"p99 {P99Seconds} s, slowest request {SlowestRequestSeconds} s ({SlowestRequest})" +
        (EventAt is null ? "" :
            $"; event at t={EventAt}: longest stall after it {GapAfterEventSeconds} s, decisions resumed +{ResumedAfterEventSeconds} s after it; failures from +{FirstFailureAfterEvent?.ToString(CultureInfo.InvariantCulture) ?? "-"} " +
            $"to +{LastFailureAfterEvent?.ToString(CultureInfo.InvariantCulture) ?? "-"} s, {BookingsFailedAfterEvent} bookings failed at least once, " +
            $"all of them succeeded by +{RecoveryAfterEventSeconds?.ToString(CultureInfo.InvariantCulture) ?? "never"} s");

    private static double Round(double value) => Math.Round(value, 2);

    /// <summary>Nearest-rank percentile of request latencies (seconds); 0 when there are none.</summary>
    private static double Percentile(List<double> latencies, double fraction)
    {
        if (latencies.Count == 0)
        {
            return 0;
        }

        latencies.Sort();
        return latencies[Math.Clamp((int)Math.Ceiling(fraction * latencies.Count) - 1, 0, latencies.Count - 1)];
    }

    private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 2);
}
