namespace ClinicCluster.Persistence.Postgres.Telemetry;

/// <summary>
/// A database reading behind an observable gauge: a collector gets the last value at once and, when
/// it is older than the interval, starts one refresh in the background. Metrics collection never
/// waits for (or hammers) the database; a failed read keeps the last value until the next try.
/// </summary>
internal sealed partial class CachedReading<T>(
    Func<CancellationToken, Task<T>> read, TimeSpan interval, ILogger logger, string what) : IDisposable
    where T : class
{
    private readonly CancellationTokenSource _stopping = new();
    private T? _value;
    private long _nextRefreshAt = long.MinValue;
    private int _refreshing;

    /// <summary>The last value read, or null before the first read completed.</summary>
    public T? Current
    {
        get
        {
            if (Environment.TickCount64 >= Volatile.Read(ref _nextRefreshAt)
                && !_stopping.IsCancellationRequested
                && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
            {
                _ = RefreshAsync();
            }

            return Volatile.Read(ref _value);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task RefreshAsync()
    {
        try
        {
            Volatile.Write(ref _nextRefreshAt, Environment.TickCount64 + (long)interval.TotalMilliseconds);
            Volatile.Write(ref _value, await read(_stopping.Token));
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or OperationCanceledException or ObjectDisposedException or TimeoutException)
        {
            // A metric must never take the silo down.
            LogRefreshFailed(logger, what, exception);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read {What} for its gauge; the last value stays")]
    private static partial void LogRefreshFailed(ILogger logger, string what, Exception exception);
}
