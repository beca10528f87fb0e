using System.Collections.Concurrent;
using System.Globalization;
using Xunit.Abstractions;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>Test output kept until a test can show it (the scenario below starts before its test does).</summary>
public sealed class BufferedOutput : ITestOutputHelper
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IEnumerable<string> Lines => _lines;

    public void WriteLine(string message) => _lines.Enqueue(message);

    public void WriteLine(string format, params object[] args) => _lines.Enqueue(string.Format(CultureInfo.InvariantCulture, format, args));
}

/// <summary>
/// The no-show reminder scenario: one silo and the API, a UTC clinic whose policy closes check-in
/// at the end of a visit (no grace: the sweeper's no-show moment, decision 0025) with a 1-minute
/// visit type and a provider working all day, and one visit booked to start in 20 s. Nobody checks
/// the patient in, so about 80 s after booking the clinic's sweeper (a grain
/// timer, revived by one durable reminder per clinic) must turn the appointment into a no-show. That wait is real time; the collection fixture starts this
/// scenario first so the wait passes while the other tests run, and the no-show test then only
/// has to look (or wait for what is left).
/// </summary>
public sealed class NoShowScenario : IAsyncDisposable
{
    /// <summary>The clinic policy's checkInGraceMinutes: the no-show is due at the end of the visit.</summary>
    public static readonly TimeSpan CheckInGrace = TimeSpan.Zero;
    public static readonly TimeSpan VisitLength = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan StartsIn = TimeSpan.FromSeconds(20);

    private readonly ClusterHarness _cluster;

    private NoShowScenario(TestDatabase database)
    {
        _cluster = new ClusterHarness("Missed_appointment_becomes_noshow_via_reminder", database, Output,
            new Dictionary<string, string>
            {
                ["Scheduling__DueSoonBefore"] = "00:00:05",
                // The clinic's sweeper (not a reminder per appointment) finds the missed visit.
                ["Scheduling__SweepInterval"] = "00:00:02",
            });
        Booking = Task.Run(BookAsync);
    }

    public BufferedOutput Output { get; } = new();

    public ClusterHarness Cluster => _cluster;

    /// <summary>Completes once the appointment is booked; faults if anything on the way failed.</summary>
    public Task<NoShowBooking> Booking { get; }

    public static NoShowScenario Start(TestDatabase database) => new(database);

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    private async Task<NoShowBooking> BookAsync()
    {
        await _cluster.StartSiloAsync();
        var api = await _cluster.StartApiAsync();

        // UTC and a day-long window: the visit is "now", whatever the time of day the test runs at.
        var clinicId = $"noshow-{Guid.NewGuid():N}"[..19];
        await api.CreateClinicAsync(clinicId, "UTC",
            [new { name = "quick", durationMinutes = (int)VisitLength.TotalMinutes, bufferMinutes = 0 }],
            new
            {
                minimumNoticeMinutes = 0,
                maximumHorizonDays = 30,
                cancellationCutoffMinutes = 0,
                slotIntervalMinutes = 5,
                checkInGraceMinutes = (int)CheckInGrace.TotalMinutes,
                noShowGraceMinutes = 0,
            });
        var provider = await api.AddProviderAsync(clinicId, "Provider", new TimeOnly(0, 0), new TimeOnly(23, 59, 59));
        var patient = await api.RegisterPatientAsync(clinicId, Guid.NewGuid().ToString("N")[..12]);

        // A working window cannot cross midnight: just before it, wait (bounded) for the new day.
        var start = NextStart();
        for (var i = 0; i < 200 && start + VisitLength > EndOfDay(start); i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            start = NextStart();
        }

        var booked = await api.BookAsync(clinicId, new BookingRequest("noshow-" + Guid.NewGuid().ToString("N"), patient, provider, "quick", start));
        if (booked.Status != 201)
        {
            throw new InvalidOperationException($"Booking the no-show visit answered {booked.Status}: {booked.Short}");
        }

        var booking = new NoShowBooking(api, clinicId, booked.Field("id")!, start, start + VisitLength + CheckInGrace);
        _cluster.Log($"booked {booking.AppointmentId} at {start:HH:mm:ss}Z, ends {start + VisitLength:HH:mm:ss}Z; no-show due {booking.Due:HH:mm:ss}Z");
        return booking;
    }

    private static DateTimeOffset NextStart()
    {
        var at = DateTimeOffset.UtcNow + StartsIn;
        return new DateTimeOffset(at.Year, at.Month, at.Day, at.Hour, at.Minute, at.Second, TimeSpan.Zero);
    }

    private static DateTimeOffset EndOfDay(DateTimeOffset instant) => new(instant.Year, instant.Month, instant.Day, 23, 59, 59, TimeSpan.Zero);
}

/// <summary>The booked visit: when it starts, and when its no-show is due (end + the policy's check-in grace).</summary>
public sealed record NoShowBooking(ClinicApi Api, string ClinicId, string AppointmentId, DateTimeOffset Start, DateTimeOffset Due);
