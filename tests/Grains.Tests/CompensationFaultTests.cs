using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using ClinicCluster.Testing.Faults;

namespace ClinicCluster.Grains.Tests;

/// <summary>
/// A booking whose ledger write fails before the statement is sent committed nothing, so the
/// grain releases its holds (a compensation). When that release fails as well, the caller must
/// still see the ledger write's failure, and the holds left behind must resolve by themselves.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CompensationFaultTests(ClusterFixture fixture)
{
    private static readonly DateOnly Day = TestClinic.Day(12);

    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Fact]
    public async Task A_failed_ledger_write_releases_both_holds_at_once()
    {
        var (clinic, providerId, patientId) = await SetUpAsync();
        var slot = TestClinic.Local(Day, 10);
        var appointmentId = TestClinic.NewId("appt");
        ClusterFixture.Faults.Arm(SchedulingOperation.Book, FaultStep.LedgerWrite, FaultKind.Throw, appointmentId);

        await Assert.ThrowsAsync<InvalidOperationException>(() => clinic.BookAsync(appointmentId, patientId, providerId, slot));

        Assert.Empty(await BlocksAsync(clinic, providerId, patientId, appointmentId));
        ResultAssert.Success(await clinic.BookAsync(await clinic.AddPatientAsync(), providerId, slot));
    }

    [Fact]
    public async Task When_the_release_fails_too_the_caller_sees_the_ledger_failure_and_the_views_converge()
    {
        var (clinic, providerId, patientId) = await SetUpAsync();
        var slot = TestClinic.Local(Day, 14);
        var appointmentId = TestClinic.NewId("appt");
        var fired = ClusterFixture.Faults.Fired;
        ClusterFixture.Faults.Arm(SchedulingOperation.Book, FaultStep.LedgerWrite, FaultKind.Throw, appointmentId);
        ClusterFixture.Faults.Arm(SchedulingOperation.Book, FaultStep.Release, FaultKind.Timeout, appointmentId);

        try
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => clinic.BookAsync(appointmentId, patientId, providerId, slot, "fp-1"));
            Assert.Contains(nameof(FaultStep.LedgerWrite), failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            ClusterFixture.Faults.Disarm();
        }

        Assert.Equal(fired + 2, ClusterFixture.Faults.Fired);

        // The unreleased holds still block the slot, as a booking that died half-way would.
        Assert.Equal(2, (await BlocksAsync(clinic, providerId, patientId, appointmentId)).Count(b => !b.Recorded));
        var rival = await clinic.AddPatientAsync();
        ResultAssert.Failure(await clinic.BookAsync(rival, providerId, slot), ErrorKind.Conflict, "provider-busy");

        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(61));
        await _grains.GetGrain<IClinicReconcilerGrain>(clinic.Id).ReconcileAsync();

        Assert.Null(await clinic.Appointment(appointmentId).GetAsync());
        Assert.Empty(await BlocksAsync(clinic, providerId, patientId, appointmentId));
        var retried = ResultAssert.Success(await clinic.BookAsync(appointmentId, patientId, providerId, slot, "fp-1"));
        var blocks = await BlocksAsync(clinic, providerId, patientId, appointmentId);
        Assert.Equal(2, blocks.Count(b => b.Recorded && b.Start == retried.Start && b.Version == 1));
    }

    private async Task<(TestClinic Clinic, string ProviderId, string PatientId)> SetUpAsync()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        return (clinic, await clinic.AddProviderAsync(), await clinic.AddPatientAsync());
    }

    private static async Task<List<CalendarBlock>> BlocksAsync(TestClinic clinic, string providerId, string patientId, string appointmentId) =>
        (await clinic.ProviderSchedule(providerId).GetBlocksAsync())
            .Concat(await clinic.PatientSchedule(patientId).GetBlocksAsync())
            .Where(b => b.AppointmentId == appointmentId)
            .ToList();
}
