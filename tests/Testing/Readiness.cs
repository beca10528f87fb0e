using System.Diagnostics;
using System.Globalization;

namespace ClinicCluster.Testing;

/// <summary>The one readiness wait of the suites: polls a host's <c>/health/ready</c> until it answers 2xx.</summary>
public static class Readiness
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Polls <c>/health/ready</c> under <paramref name="baseAddress"/> with a client of its own
    /// (5 s per attempt). See <see cref="WaitAsync(HttpClient, Uri, TimeSpan, Func{string?}?, Func{string}?)"/>.
    /// </summary>
    public static async Task<TimeSpan> WaitAsync(Uri baseAddress, TimeSpan timeout, Func<string?>? failure = null, Func<string>? detail = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await WaitAsync(http, new Uri(baseAddress, "/health/ready"), timeout, failure, detail);
    }

    /// <summary>
    /// Polls <paramref name="probe"/> (absolute, or relative to the client's base address) until it
    /// answers 2xx and returns how long that took. <paramref name="failure"/> names a reason to
    /// give up at once (the host process exited); <paramref name="detail"/> adds to the message of
    /// a failure or timeout (the host's log tail). Connection errors count as "not ready yet".
    /// </summary>
    public static async Task<TimeSpan> WaitAsync(HttpClient http, Uri probe, TimeSpan timeout, Func<string?>? failure = null, Func<string>? detail = null)
    {
        var started = Stopwatch.GetTimestamp();
        var last = "no answer";
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            if (failure?.Invoke() is { } reason)
            {
                throw new InvalidOperationException($"{reason} before {probe} was ready{Detail(detail)}");
            }

            try
            {
                using var response = await http.GetAsync(probe);
                if (response.IsSuccessStatusCode)
                {
                    return Stopwatch.GetElapsedTime(started);
                }

                last = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                last = exception.GetType().Name;
            }

            await Task.Delay(Interval);
        }

        throw new TimeoutException($"{probe} did not answer ready within {timeout.TotalSeconds:0} s (last answer: {last}){Detail(detail)}");
    }

    private static string Detail(Func<string>? detail) => detail is null ? "." : ":\n" + detail();
}
