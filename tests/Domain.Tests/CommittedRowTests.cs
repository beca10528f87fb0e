using ClinicCluster.Scheduling;
using static ClinicCluster.Domain.Tests.SchedulingSamples;

namespace ClinicCluster.Domain.Tests;

public sealed class CommittedRowTests
{
    [Fact]
    public void Nothing_is_known_before_the_first_read_and_a_read_of_no_row_is_known_as_none()
    {
        var row = new CommittedRow("apt-1");
        Assert.False(row.IsKnown);

        row.Adopt(null);

        Assert.True(row.IsKnown);
        Assert.Null(row.Known);
    }

    [Fact]
    public void A_write_with_an_unknown_outcome_forgets_until_the_ledger_answers()
    {
        var row = new CommittedRow("apt-1");
        row.Adopt(Row());

        row.Forget();

        Assert.Null(row.Known);
        Assert.Equal(1, row.Latest!.Version);
        row.Adopt(Row() with { Version = 2 });
        Assert.Equal(2, row.Known!.Version);
    }

    [Fact]
    public void An_older_version_or_another_appointment_s_row_never_replaces_the_newest()
    {
        var row = new CommittedRow("apt-1");
        row.Adopt(Row() with { Version = 3 });

        row.Adopt(Row() with { Version = 2 });
        row.Adopt(Row("apt-2") with { Version = 9 });

        Assert.Equal(("apt-1", 3L), (row.Known!.AppointmentId, row.Known.Version));
    }

    [Fact]
    public void Reconciliation_reports_a_change_made_behind_the_activation_s_back_only()
    {
        var row = new CommittedRow("apt-1");
        Assert.False(row.Reconcile(Row()));
        Assert.False(row.Reconcile(Row()));

        Assert.True(row.Reconcile(Row() with { Version = 2 }));
        Assert.Equal(2, row.Known!.Version);
    }
}
