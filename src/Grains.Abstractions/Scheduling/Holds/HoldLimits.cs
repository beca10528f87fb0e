namespace ClinicCluster.Scheduling;

/// <summary>How long a checkout hold lasts (decision 0036).</summary>
public static class HoldLimits
{
    public const int DefaultMinutes = 5;
    public const int MaxMinutes = 15;
}
