namespace ClinicCluster.Scheduling;

/// <summary>The persisted calendar of a provider or a patient.</summary>
[GenerateSerializer, Alias("cc.ScheduleState")]
public sealed class ScheduleState
{
    [Id(0)]
    public List<CalendarEntry> Entries { get; set; } = [];
}
