using System.Collections.Concurrent;
using System.Diagnostics;
using ClinicCluster.Clinics;
using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using Xunit.Abstractions;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// Counts the SQL statements one booking sends to PostgreSQL, from Npgsql's own tracing (every
/// command is an activity, whichever provider sends it). Background statements of the silo
/// (membership, stream polling) are told apart by the tables they touch.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class RoundTripTests(StorageFixture fixture, ITestOutputHelper output)
{
    private const int Bookings = 20;

    [Fact]
    public async Task A_booking_of_a_warm_calendar_pair_is_one_statement()
    {
        var grains = fixture.Silo.Grains;
        var clinicId = TestData.NewId("rt");
        var clinic = grains.GetGrain<IClinicGrain>(clinicId);
        Assert.True((await clinic.CreateAsync(new ClinicSettings("Round trips", "UTC", [new AppointmentType("checkup", 30, 0)], BookingPolicy.Default))).IsSuccess);
        var hours = Enum.GetValues<DayOfWeek>().Select(d => new WorkingHours(d, new TimeOnly(0, 0), new TimeOnly(23, 45))).ToList();
        Assert.True((await clinic.AddProviderAsync("prv-rt", new ProviderProfile("Dr. Trip", "General", hours, []))).IsSuccess);
        var patientId = TestData.NewId("pat");
        Assert.True((await grains.GetGrain<Patients.IPatientGrain>(ClinicScopedKey.Format(clinicId, patientId))
            .CreateAsync(TestData.Patient(TestData.NewId("MRN")))).IsSuccess);
        var day = DateTime.UtcNow.Date.AddDays(10);

        // The clinic's sweeper registers its one reminder when it first activates (once per
        // clinic, not per booking): activate it now so that write is not counted as a booking's.
        await grains.GetGrain<IAppointmentSweeperGrain>(clinicId).SweepAsync();
        using var statements = new StatementCounter(fixture.Database.Name);
        var cold = await statements.CountAsync(() => BookAsync(grains, clinicId, patientId, day.AddHours(1)));
        var warm = new List<IReadOnlyDictionary<string, int>>();
        for (var i = 0; i < Bookings; i++)
        {
            warm.Add(await statements.CountAsync(() => BookAsync(grains, clinicId, patientId, day.AddHours(2).AddMinutes(30 * i))));
        }

        output.WriteLine($"first booking (calendars activate): {Describe(cold)}");
        output.WriteLine($"each of {Bookings} further bookings: {string.Join(" | ", warm.Select(Describe).Distinct())}");
        var perBooking = warm.Select(w => w.Where(k => k.Key != "background").Sum(k => k.Value)).ToList();
        output.WriteLine($"statements per warm booking: min {perBooking.Min()}, max {perBooking.Max()}, mean {perBooking.Average():0.00}");
        Assert.All(perBooking, n => Assert.Equal(1, n));
    }

    private static async Task BookAsync(IGrainFactory grains, string clinicId, string patientId, DateTime start)
    {
        var booked = await grains.GetGrain<IAppointmentGrain>(ClinicScopedKey.Format(clinicId, Identifiers.New("apt")))
            .BookAsync(new BookAppointment(patientId, "prv-rt", "checkup", new DateTimeOffset(start, TimeSpan.Zero)), "fp");
        Assert.True(booked.IsSuccess, booked.Error?.Message);
    }

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"));

    /// <summary>Listens to Npgsql's activity source and classifies each command by the table it touches.</summary>
    private sealed class StatementCounter : IDisposable
    {
        private readonly ActivityListener _listener;
        private ConcurrentQueue<string>? _window;

        // Other test classes run their own silos in this process at the same time: only commands
        // on this fixture's database count.
        public StatementCounter(string database)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name.StartsWith("Npgsql", StringComparison.Ordinal),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if ((activity.GetTagItem("db.namespace") ?? activity.GetTagItem("db.name"))?.ToString() == database)
                    {
                        _window?.Enqueue(Classify(activity));
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public async Task<IReadOnlyDictionary<string, int>> CountAsync(Func<Task> action)
        {
            var window = new ConcurrentQueue<string>();
            _window = window;
            await action();
            _window = null;
            return window.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        }

        public void Dispose() => _listener.Dispose();

        private static string Classify(Activity activity)
        {
            var sql = (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement"))?.ToString() ?? activity.DisplayName;
            return sql switch
            {
                _ when sql.Contains("appointment_ledger", StringComparison.Ordinal) => "ledger",
                _ when sql.Contains("Reminder", StringComparison.OrdinalIgnoreCase) => "reminders",
                _ when sql.Contains("Storage", StringComparison.OrdinalIgnoreCase) || sql.Contains("grain_state", StringComparison.Ordinal) => "grain state",
                _ => "background",
            };
        }
    }
}
