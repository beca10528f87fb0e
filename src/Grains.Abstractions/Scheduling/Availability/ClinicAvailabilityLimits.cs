namespace ClinicCluster.Scheduling;

/// <summary>The documented bounds of a clinic-wide search (decision 0036), shared by the API and the grains.</summary>
public static class ClinicAvailabilityLimits
{
    /// <summary>The widest window, in local dates: a search that finds nothing reads every provider's every day.</summary>
    public const int MaxDays = 14;

    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxProviders = 50;
    public const int MaxSpecialtyLength = 100;
    public const int MaxCursorLength = 200;
}
