namespace ClinicCluster.Scheduling;

/// <summary>Bounds of the waitlist: they keep one clinic's waitlist grain state and its offer scan small.</summary>
public static class WaitlistLimits
{
    /// <summary>Waiting entries per clinic.</summary>
    public const int MaxEntries = 5000;

    /// <summary>The longest date window of one entry.</summary>
    public const int MaxWindowDays = 90;

    /// <summary>The longest notice a patient may ask for (a week).</summary>
    public const int MaxNoticeMinutes = 7 * 24 * 60;

    public const int MaxPriority = 9;

    /// <summary>How long an offer holds its slot: the longest checkout hold.</summary>
    public const int OfferMinutes = HoldLimits.MaxMinutes;

    /// <summary>Closed offers kept for the front desk's view.</summary>
    public const int KeptOffers = 500;
}
