using System.Globalization;
using ClinicCluster.Cluster.Tests.Infrastructure;

namespace ClinicCluster.Cluster.Tests;

/// <summary>
/// Three silos and the API under booking load while silos die (SIGKILL) or are replaced one by
/// one (SIGTERM, a rolling update). Afterwards the database must hold no overlapping active
/// appointments, and every acknowledged booking must be in it.
/// </summary>
public sealed partial class ClusterTests
{
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan MinimumLoad = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan QuietAfterRecovery = TimeSpan.FromSeconds(5);

    /// <summary>The failover gap the kill test accepts; CLUSTER_TESTS_MAX_GAP_SECONDS overrides.</summary>
    private static readonly double MaxGapSeconds = Seconds("CLUSTER_TESTS_MAX_GAP_SECONDS", 60);

    /// <summary>
    /// The failover tail the kill test accepts (issue 20: p99 <= 3 s, slowest <= 5 s), with the
    /// membership and client settings the silos and the API ship with (no test overrides);
    /// CLUSTER_TESTS_MAX_SLOWEST_SECONDS and CLUSTER_TESTS_MAX_P99_SECONDS override.
    /// </summary>
    private static readonly double MaxSlowestSeconds = Seconds("CLUSTER_TESTS_MAX_SLOWEST_SECONDS", 5);

    private static readonly double MaxP99Seconds = Seconds("CLUSTER_TESTS_MAX_P99_SECONDS", 3);

    [Fact(Timeout = 300_000)]
    [RunOrder(2)]
    public async Task Kill_9_during_booking_load_loses_no_acknowledged_booking()
    {
        await using var cluster = new ClusterHarness(nameof(Kill_9_during_booking_load_loses_no_acknowledged_booking), suite.Database, output);
        var silos = await cluster.StartSilosAsync(3);
        var api = await cluster.StartApiAsync();
        var clinic = await TestClinic.CreateAsync(api, "kill", providers: 10, patients: 50);

        var load = new LoadRun(api, clinic.Id, clinic.Planner("kill"),
            new LoadOptions(Concurrency: 16, MaxDuration: TimeSpan.FromSeconds(150), MaxBookings: 100_000)
            {
                // Past the bound the test fails anyway; a little beyond it, the report shows by how much.
                StallLimit = TimeSpan.FromSeconds(MaxGapSeconds + 15),
            });
        var running = load.RunAsync();
        SiloProcess victim;
        double killedAt;
        DateTimeOffset killedAtClock;
        try
        {
            await Task.Delay(KillAfter);

            // The silo that hosted most bookings so far: the kill hurts as much as it can.
            victim = silos.OrderByDescending(s => s.CountLogLines("Booked appointment")).First();
            killedAt = load.Now;
            killedAtClock = DateTimeOffset.Now;
            cluster.Kill(victim);

            // Load for at least 30 s, and until bookings have flowed without a failure for a while
            // after the kill (so the measured gap is not cut short by the end of the load); bounded.
            for (var i = 0; i < 600 && load.Now < killedAt + 120 && !load.Stalled; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
                if (load.Now >= MinimumLoad.TotalSeconds && Recovered(load, killedAt))
                {
                    break;
                }
            }
        }
        finally
        {
            load.Stop();
            await running.WaitAsync(TimeSpan.FromSeconds(120));
        }

        var report = LoadReport.From(load, killedAt);
        cluster.Log($"killed {victim.Name} at t={killedAt:0.0}s; {report}");

        // How long the survivors took to declare the victim dead (whole seconds: the log's resolution).
        var declaredDead = silos.Where(s => s != victim).Select(s => s.SawDeadAt(victim)).Where(t => t is not null).Min();
        double? declaredDeadAfter = declaredDead is null ? null : Math.Max(0, Math.Round((declaredDead.Value - killedAtClock).TotalSeconds));
        cluster.Log($"survivors declared {victim.Name} dead after ~{declaredDeadAfter?.ToString(CultureInfo.InvariantCulture) ?? "(not logged)"} s");
        Results.Write("kill9", new
        {
            killedSilo = victim.Name,
            declaredDeadAfterSeconds = declaredDeadAfter,
            failoverGapSeconds = report.LongestGapSeconds,
            longestStallAfterKillSeconds = report.GapAfterEventSeconds,
            bookingsResumedAfterKillSeconds = report.ResumedAfterEventSeconds,
            firstFailureAfterKillSeconds = report.FirstFailureAfterEvent,
            lastFailureAfterKillSeconds = report.LastFailureAfterEvent,
            bookingsFailedAfterKill = report.BookingsFailedAfterEvent,
            recoveryOfFailedBookingsSeconds = report.RecoveryAfterEventSeconds,
            maxGapSecondsAllowed = MaxGapSeconds,
            slowestRequestSeconds = report.SlowestRequestSeconds,
            p99Seconds = report.P99Seconds,
            maxSlowestSecondsAllowed = MaxSlowestSeconds,
            maxP99SecondsAllowed = MaxP99Seconds,
            report,
        });

        foreach (var ack in load.Acknowledged)
        {
            suite.FailoverAcknowledged.Add((clinic.Id, ack.AppointmentId));
        }

        Assert.True(load.Acknowledged.Count > 0, "No booking was acknowledged at all.");
        var (failures, retries) = await ReadBack.VerifyAsync(api, clinic.Id, load.Acknowledged);
        cluster.Log($"read back {load.Acknowledged.Count} acknowledged bookings ({retries} retried reads)");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {load.Acknowledged.Count} acknowledged bookings are lost or not booked:\n" + string.Join('\n', failures.Take(20)));
        Assert.True(report.LongestGapSeconds < MaxGapSeconds,
            $"The longest interval without a decided booking was {report.LongestGapSeconds} s (bound {MaxGapSeconds} s): {report}");
        Assert.NotNull(report.RecoveryAfterEventSeconds);

        // The tail over the failover: every request, the ones caught by the kill included.
        Assert.True(report.P99Seconds <= MaxP99Seconds,
            $"p99 over the kill -9 failover was {report.P99Seconds} s (bound {MaxP99Seconds} s): {report}");
        Assert.True(report.SlowestRequestSeconds <= MaxSlowestSeconds,
            $"The slowest request over the kill -9 failover took {report.SlowestRequestSeconds} s (bound {MaxSlowestSeconds} s): {report}");
    }

    [Fact(Timeout = 420_000)]
    [RunOrder(3)]
    public async Task Rolling_restart_with_SIGTERM_has_zero_failed_requests()
    {
        await using var cluster = new ClusterHarness(nameof(Rolling_restart_with_SIGTERM_has_zero_failed_requests), suite.Database, output);
        var originals = await cluster.StartSilosAsync(3);
        var api = await cluster.StartApiAsync();
        var clinic = await TestClinic.CreateAsync(api, "rolling", providers: 10, patients: 50);

        var load = new LoadRun(api, clinic.Id, clinic.Planner("rolling"),
            new LoadOptions(Concurrency: 4, MaxDuration: TimeSpan.FromSeconds(300), MaxBookings: 100_000, ReadShare: 0.5)
            {
                // Steady, not saturating: replacement silos must be able to start on a small machine.
                Pace = TimeSpan.FromMilliseconds(250),
            });
        var running = load.RunAsync();
        var stops = new List<object>();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            await RollAsync(cluster, originals, load, stops);
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            // Also when a stop failed: no load may outlive the test.
            load.Stop();
            await running.WaitAsync(TimeSpan.FromSeconds(120));
        }

        var report = LoadReport.From(load);
        cluster.Log(report.ToString());
        Results.Write("rollingRestart", new { stops, report });
        foreach (var ack in load.Acknowledged)
        {
            suite.FailoverAcknowledged.Add((clinic.Id, ack.AppointmentId));
        }

        var failed = load.Attempts.Where(a => a.Status is not (200 or 201 or 409) || a.Error is { } e && e.StartsWith("status ", StringComparison.Ordinal)).ToList();
        Assert.True(failed.Count == 0,
            $"{failed.Count} requests failed during the rolling restart ({report}):\n" +
            string.Join('\n', failed.Take(20).Select(a => $"t={a.Finished:0.0} {a.Kind} {a.Key}: {a.Status} {a.Error}")));
        Assert.Equal(0, report.ClientExceptions);

        var (failures, retries) = await ReadBack.VerifyAsync(api, clinic.Id, load.Acknowledged);
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {load.Acknowledged.Count} acknowledged bookings are lost or not booked:\n" + string.Join('\n', failures.Take(20)));
        Assert.Equal(0, retries);
    }

    [Fact(Timeout = 180_000)]
    [RunOrder(4)]
    public async Task Ledger_has_no_overlapping_active_appointments_after_failures()
    {
        if (suite.FailoverAcknowledged.IsEmpty)
        {
            // Run on its own: make some data first, so the check has something to look at.
            await BookSomeAsync();
        }

        var active = await Ledger.CountActiveAsync(suite.Database);
        var providerOverlaps = await Ledger.FindOverlapsAsync(suite.Database, Ledger.ProviderOverlaps);
        var patientOverlaps = await Ledger.FindOverlapsAsync(suite.Database, Ledger.PatientOverlaps);
        output.WriteLine($"{active} active appointments in the ledger; {providerOverlaps.Count} provider and {patientOverlaps.Count} patient overlaps");

        // Every booking the failover tests saw acknowledged is in the ledger, still booked.
        var missing = new List<string>();
        foreach (var clinic in suite.FailoverAcknowledged.GroupBy(a => a.ClinicId))
        {
            var statuses = await Ledger.StatusesAsync(suite.Database, clinic.Key);
            missing.AddRange(clinic
                .Where(a => !statuses.TryGetValue(a.AppointmentId, out var status) || status != "booked")
                .Select(a => $"{a.ClinicId}/{a.AppointmentId}: {statuses.GetValueOrDefault(a.AppointmentId, "missing")}"));
        }

        Results.Write("ledger", new
        {
            activeAppointments = active,
            acknowledgedChecked = suite.FailoverAcknowledged.Count,
            providerOverlaps = providerOverlaps.Count,
            patientOverlaps = patientOverlaps.Count,
            acknowledgedMissingFromLedger = missing.Count,
        });
        Assert.True(active > 0, "The ledger holds no active appointment at all.");
        Assert.True(providerOverlaps.Count == 0, "Overlapping active appointments of one provider:\n" + string.Join('\n', providerOverlaps));
        Assert.True(patientOverlaps.Count == 0, "Overlapping active appointments of one patient:\n" + string.Join('\n', patientOverlaps));
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged bookings are not booked in the ledger:\n" + string.Join('\n', missing.Take(20)));
    }

    private async Task BookSomeAsync()
    {
        await using var cluster = new ClusterHarness(nameof(Ledger_has_no_overlapping_active_appointments_after_failures), suite.Database, output);
        await cluster.StartSiloAsync();
        var api = await cluster.StartApiAsync();
        var clinic = await TestClinic.CreateAsync(api, "ledger", providers: 4, patients: 8);
        var load = new LoadRun(api, clinic.Id, clinic.Planner("ledger"), new LoadOptions(Concurrency: 8, TimeSpan.FromSeconds(60), MaxBookings: 40));
        await load.RunAsync();
        foreach (var ack in load.Acknowledged)
        {
            suite.FailoverAcknowledged.Add((clinic.Id, ack.AppointmentId));
        }
    }

    /// <summary>
    /// Like a Kubernetes rolling update with one surge pod: a replacement starts, once it is ready
    /// the oldest original gets SIGTERM, and the next replacement starts while it drains.
    /// </summary>
    private static async Task RollAsync(ClusterHarness cluster, IReadOnlyList<SiloProcess> originals, LoadRun load, List<object> stops)
    {
        var nextReplacement = cluster.StartSiloAsync();
        for (var i = 0; i < originals.Count; i++)
        {
            var old = originals[i];
            var replacement = await nextReplacement;
            await Task.Delay(TimeSpan.FromSeconds(1));
            var terminatedAt = load.Now;
            var terminating = cluster.TerminateAsync(old);
            if (i + 1 < originals.Count)
            {
                nextReplacement = cluster.StartSiloAsync();
            }

            var (exited, exitCode, took) = await terminating;
            stops.Add(new { silo = old.Name, replacement = replacement.Name, atSeconds = Math.Round(terminatedAt, 1), exited, exitCode, seconds = Math.Round(took.TotalSeconds, 1) });
            Assert.True(exited, $"{old.Name} did not exit within {ClusterHarness.SiloShutdownTimeout.TotalSeconds} s + 20 s of SIGTERM:\n{old.Process.LogTail()}");
            Assert.True(exitCode == 0, $"{old.Name} exited with {exitCode} after SIGTERM:\n{old.Process.LogTail()}");
        }
    }

    private static double Seconds(string variable, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : fallback;

    /// <summary>
    /// Bookings succeed again after the kill: the last failed attempt is a few seconds old, decided
    /// bookings arrived since, and no request has been waiting longer than that (a call stuck on the
    /// dead silo would otherwise go unnoticed until it times out).
    /// </summary>
    private static bool Recovered(LoadRun load, double killedAt)
    {
        var attempts = load.Attempts.Where(a => a.IsBooking && a.Finished > killedAt).ToList();
        var lastFailure = attempts.Where(a => !a.IsBookingDecision).Select(a => a.Finished).DefaultIfEmpty(killedAt).Max();
        var decidedSince = attempts.Count(a => a.IsBookingDecision && a.Finished > lastFailure);
        return load.Now - lastFailure >= QuietAfterRecovery.TotalSeconds
            && decidedSince >= 10
            && load.OldestInFlightSeconds < QuietAfterRecovery.TotalSeconds;
    }
}
