namespace ClinicCluster.Scheduling;

/// <summary>The persisted state of a series grain: the request as first given and the series it booked.</summary>
[GenerateSerializer, Alias("cc.SeriesState")]
public sealed class SeriesState
{
    [Id(0)]
    public BookSeries? Request { get; set; }

    [Id(1)]
    public AppointmentSeries? Series { get; set; }
}
