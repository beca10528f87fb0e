using System.Diagnostics;

namespace ClinicCluster.LoadGen;

/// <summary>
/// Drives a request function. Closed loop: <see cref="LoadOptions.Connections"/> workers, each
/// sending its next request when the last one answered. Open loop: requests start on a fixed
/// schedule; latency counts from the scheduled start (so a stalled server shows in the numbers
/// instead of slowing the schedule), and a request that finds every connection busy is dropped
/// and counted. Either stops at the duration or the request count, whichever comes first.
/// </summary>
public static class LoadRunner
{
    /// <summary>Sends request number <c>index</c> (0, 1, 2... across all workers) and answers its HTTP status.</summary>
    public delegate Task<int> Send(long index, CancellationToken cancellationToken);

    /// <summary>Runs for the options' duration; request numbers start at <paramref name="firstIndex"/> (after a warm-up's).</summary>
    public static async Task<(Recorder Recorder, long Dropped, long Issued)> RunAsync(LoadOptions options, Send send, long firstIndex = 0)
    {
        var recorder = new Recorder();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.DurationSeconds));
        long issued = firstIndex - 1;
        long dropped = 0;

        async Task One(long index, long startedAt)
        {
            int status;
            try
            {
                status = await send(index, CancellationToken.None);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
            {
                status = 0;
            }

            recorder.Record(Stopwatch.GetElapsedTime(startedAt), status);
        }

        if (!options.OpenLoop)
        {
            var workers = Enumerable.Range(0, options.Connections).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var index = Interlocked.Increment(ref issued);
                    if (index - firstIndex >= options.MaxRequests)
                    {
                        return;
                    }

                    await One(index, Stopwatch.GetTimestamp());
                }
            }));
            await Task.WhenAll(workers);
        }
        else
        {
            using var slots = new SemaphoreSlim(options.Connections);
            var inFlight = new List<Task>();
            var clock = Stopwatch.StartNew();
            var origin = Stopwatch.GetTimestamp();
            var interval = Stopwatch.Frequency / options.Rate;
            long next = 0;
            while (!stop.IsCancellationRequested && next < options.MaxRequests)
            {
                var due = (long)(clock.Elapsed.TotalSeconds * options.Rate);
                for (; next <= due && next < options.MaxRequests; next++)
                {
                    var scheduled = origin + (long)(next * interval);
                    issued = firstIndex + next;
                    if (!slots.Wait(0))
                    {
                        dropped++;
                        continue;
                    }

                    var index = firstIndex + next;
                    inFlight.Add(Task.Run(async () =>
                    {
                        try
                        {
                            await One(index, scheduled);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    }));
                }

                inFlight.RemoveAll(t => t.IsCompleted);
                await Task.Delay(1);
            }

            await Task.WhenAll(inFlight);
        }

        recorder.Stop();
        return (recorder, dropped, issued + 1);
    }
}
