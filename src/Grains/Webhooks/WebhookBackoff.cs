namespace ClinicCluster.Webhooks;

/// <summary>
/// When a failed delivery is tried again: exponential (first delay doubled per attempt, capped) with
/// full jitter, so receivers that recover together are not hit by every silo at the same instant.
/// The delay is stored with the outbox row, not slept in memory (decision 0046: why not Polly's retry).
/// </summary>
public static class WebhookBackoff
{
    /// <summary>The delay after the <paramref name="attempts"/>-th failed attempt (1 = the first), given a uniform <paramref name="random"/> in [0, 1).</summary>
    public static TimeSpan Delay(int attempts, TimeSpan first, TimeSpan max, double random)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ceiling = Math.Min(max.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, exponent));

        // Full jitter with a floor of half the first delay: never a hot loop on a failing receiver.
        var floor = Math.Min(ceiling, first.TotalMilliseconds / 2);
        return TimeSpan.FromMilliseconds(floor + ((ceiling - floor) * Math.Clamp(random, 0, 1)));
    }
}
