namespace ClinicCluster.Scheduling;

/// <summary>
/// One per clinic (key: the clinic id): turns missed visits into no-shows and gives due-soon
/// notices, from the ledger's index, at a fixed cost per clinic instead of reminders per appointment.
/// </summary>
public interface IAppointmentSweeperGrain : IGrainWithStringKey
{
    /// <summary>Activates the sweeper (its reminder then keeps it alive across silo failures).</summary>
    [OneWay]
    Task WakeAsync();

    /// <summary>One sweep now; what it did.</summary>
    Task<SweepResult> SweepAsync();
}

/// <summary>What one sweep did.</summary>
[GenerateSerializer, Immutable, Alias("cc.SweepResult")]
public sealed record SweepResult([property: Id(0)] int NoShows, [property: Id(1)] int DueSoonNotices);
