namespace ClinicCluster.Scheduling;

/// <summary>
/// One per clinic (key: the clinic id): turns missed visits into no-shows, gives due-soon
/// notices and flags checked-in visits left open past their clinic day, from the ledger's index, at a fixed cost per clinic instead of reminders per appointment.
/// </summary>
public interface IAppointmentSweeperGrain : IGrainWithStringKey
{
    /// <summary>Activates the sweeper (its reminder then keeps it alive across silo failures).</summary>
    [OneWay]
    Task WakeAsync();

    /// <summary>One sweep now; what it did.</summary>
    Task<SweepResult> SweepAsync();
}

/// <summary>
/// What one sweep did, and how many checked-in visits it found open past the end of their clinic
/// day (never completed nor cancelled).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.SweepResult")]
public sealed record SweepResult(
    [property: Id(0)] int NoShows,
    [property: Id(1)] int DueSoonNotices,
    [property: Id(2)] int Unclosed = 0);
