using System.Globalization;
using ClinicCluster.Cluster.Tests.Infrastructure;

namespace ClinicCluster.Cluster.Tests;

/// <summary>Durable reminders (ADO.NET reminder table) drive the no-show transition in a real silo.</summary>
public sealed partial class ClusterTests
{
    private static readonly TimeSpan PollLimitAfterDue = TimeSpan.FromSeconds(90);

    [Fact(Timeout = 300_000)]
    [RunOrder(5)]
    public async Task Missed_appointment_becomes_noshow_via_reminder()
    {
        // Started by the collection fixture (see NoShowScenario): the minute of real time this
        // test needs has mostly passed while the other tests ran.
        var scenario = suite.NoShow;
        await using var _ = scenario;
        NoShowBooking booking;
        try
        {
            booking = await scenario.Booking.WaitAsync(TimeSpan.FromMinutes(4));
        }
        finally
        {
            foreach (var line in scenario.Output.Lines)
            {
                output.WriteLine(line);
            }
        }

        var api = booking.Api;
        string? status = null;
        DateTimeOffset? updatedAt = null;
        // Looks at least once (the no-show is usually long done when this test's turn comes),
        // then polls until the reminder is late by more than the limit.
        for (var i = 0; i < 400; i++)
        {
            var response = await api.GetAppointmentAsync(booking.ClinicId, booking.AppointmentId);
            Assert.True(response.Status == 200, $"GET answered {response.Status}: {response.Short}");
            status = response.Field("status");
            if (status == "noshow")
            {
                updatedAt = DateTimeOffset.Parse(response.Field("updatedAt")!, CultureInfo.InvariantCulture);
                break;
            }

            Assert.True(status == "booked", $"Unexpected status {status} while waiting for the no-show.");
            if (DateTimeOffset.UtcNow > booking.Due + PollLimitAfterDue)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(DateTimeOffset.UtcNow < booking.Due ? 2 : 0.5));
        }

        var latency = updatedAt - booking.Due;
        output.WriteLine($"status {status}; marked at {updatedAt:HH:mm:ss.fff}Z, {latency?.TotalSeconds:0.0} s after due ({booking.Due:HH:mm:ss}Z)");
        var siloLog = scenario.Cluster.Silos[0].Process.ReadLog();
        Results.Write("noShowReminder", new
        {
            checkInGraceSeconds = NoShowScenario.CheckInGrace.TotalSeconds,
            markedSecondsAfterDue = latency is null ? (double?)null : Math.Round(latency.Value.TotalSeconds, 1),
            dueSoonLogged = siloLog.Contains(" is due at ", StringComparison.Ordinal),
            status,
        });
        Assert.Equal("noshow", status);
        Assert.Contains("is now a no-show", siloLog, StringComparison.Ordinal);
    }
}
