using ClinicCluster.Scheduling;
using static ClinicCluster.Domain.Tests.SchedulingSamples;

namespace ClinicCluster.Domain.Tests;

/// <summary>The in-memory ledger's overlap rules must say what PostgreSQL's exclusion constraints say.</summary>
public sealed class LedgerRulesTests
{
    [Fact]
    public void The_provider_is_busy_through_the_buffer_the_patient_only_through_the_visit()
    {
        var booked = Row();

        Assert.Equal(LedgerWrite.ProviderBusy, LedgerRules.Refuse(Row("apt-2", patient: "pat-2", start: Start.AddMinutes(35)), [booked])!.Refusal);
        Assert.Null(LedgerRules.Refuse(Row("apt-2", patient: "pat-2", start: Start.AddMinutes(40)), [booked]));
        Assert.Equal(LedgerWrite.PatientBusy, LedgerRules.Refuse(Row("apt-2", provider: "prv-2", start: Start.AddMinutes(29)), [booked])!.Refusal);
        Assert.Null(LedgerRules.Refuse(Row("apt-2", provider: "prv-2", start: Start.AddMinutes(30)), [booked]));
    }

    [Fact]
    public void Inactive_rows_and_the_row_itself_never_conflict()
    {
        Assert.Null(LedgerRules.Refuse(Row("apt-2"), [Row(status: AppointmentStatus.Cancelled)]));
        Assert.Null(LedgerRules.Refuse(Row(status: AppointmentStatus.NoShow), [Row("apt-2")]));
        Assert.Null(LedgerRules.Refuse(Row(start: Start.AddMinutes(15)), [Row()]));
    }
}
