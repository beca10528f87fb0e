using System.Collections.Concurrent;
using System.Diagnostics;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>One HTTP attempt: what, for which provider, when (seconds since the load started) and how it ended.</summary>
/// <param name="Status">The HTTP status, or 0 when the client saw an exception (see <paramref name="Error"/>).</param>
public sealed record Attempt(string Kind, string Key, string ProviderId, double Started, double Finished, int Status, string? Error)
{
    public bool IsBooking => Kind == LoadRun.BookKind;

    /// <summary>A booking the cluster decided: booked (201) or slot taken (409).</summary>
    public bool IsBookingDecision => IsBooking && Status is 201 or 409;
}

/// <summary>A 201 the API answered: the cluster promised this appointment exists.</summary>
public sealed record Acknowledged(string AppointmentId, BookingRequest Request, double At);

/// <param name="Concurrency">Workers sending one request at a time each.</param>
/// <param name="MaxDuration">Hard bound on the load, even if nobody calls <see cref="LoadRun.Stop"/>.</param>
/// <param name="MaxBookings">Bookings to send in total (each with its own idempotency key).</param>
/// <param name="ReadShare">Share of requests that read back an already acknowledged booking.</param>
public sealed record LoadOptions(int Concurrency, TimeSpan MaxDuration, int MaxBookings, double ReadShare = 0)
{
    /// <summary>Attempts per booking: a 503 or a client error is retried with the same key and body.</summary>
    public int MaxAttemptsPerBooking { get; init; } = 120;

    /// <summary>The first retry's delay; it doubles up to one second.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Each worker sends at most one request per this interval (zero: as fast as answers come).</summary>
    public TimeSpan Pace { get; init; } = TimeSpan.Zero;

    /// <summary>How long a booking started before the stop may keep retrying after it.</summary>
    public TimeSpan RetryGraceAfterStop { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The load gives up when nothing succeeded for this long: the cluster is broken, and waiting
    /// longer would only make a failing run slow.
    /// </summary>
    public TimeSpan StallLimit { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// A booking (and optionally read) load against the API. Every attempt is recorded with its
/// timing and outcome; every 201 is kept as an acknowledged booking. A failed booking (503, a
/// client exception) is retried with the same idempotency key, which is safe: the API answers the
/// original outcome. All loops are bounded by count and by time.
/// </summary>
public sealed class LoadRun(ClinicApi api, string clinicId, SlotPlanner planner, LoadOptions options)
{
    public const string BookKind = "book";
    public const string ReadKind = "read";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly ConcurrentDictionary<long, double> _inFlight = new();
    private readonly List<Acknowledged> _acknowledged = [];
    private readonly Lock _sync = new();
    private int _next = -1;
    private long _sequence;
    private double? _stoppedAt;
    private double _lastSuccessAt;
    private bool _stalled;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Seconds since the load was created.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    public IReadOnlyList<Attempt> Attempts => [.. _attempts.OrderBy(a => a.Finished)];

    public IReadOnlyList<Acknowledged> Acknowledged
    {
        get
        {
            lock (_sync)
            {
                return [.. _acknowledged];
            }
        }
    }

    /// <summary>When (seconds since the start) the load was told to stop, or stopped by itself; null while running.</summary>
    public double? StoppedAt
    {
        get
        {
            lock (_sync)
            {
                return _stoppedAt;
            }
        }
    }

    /// <summary>True when the load stopped because nothing succeeded for <see cref="LoadOptions.StallLimit"/>.</summary>
    public bool Stalled
    {
        get
        {
            lock (_sync)
            {
                return _stalled;
            }
        }
    }

    public int BookingsSent => Math.Min(Volatile.Read(ref _next) + 1, options.MaxBookings);

    /// <summary>Seconds the oldest request still waiting for its answer has been waiting (0 when none).</summary>
    public double OldestInFlightSeconds
    {
        get
        {
            var now = Now;
            return _inFlight.Values.Select(started => now - started).DefaultIfEmpty(0).Max();
        }
    }

    /// <summary>Workers finish their current booking (bounded retries) and stop.</summary>
    public void Stop()
    {
        lock (_sync)
        {
            _stoppedAt ??= Now;
        }
    }

    public async Task RunAsync()
    {
        var workers = Enumerable.Range(0, options.Concurrency).Select(i => Task.Run(() => WorkAsync(i))).ToArray();
        await Task.WhenAll(workers);
        Stop();
    }

    private bool Stopping
    {
        get
        {
            lock (_sync)
            {
                var now = Now;
                if (_stoppedAt is null && now - _lastSuccessAt > options.StallLimit.TotalSeconds)
                {
                    (_stalled, _stoppedAt) = (true, now);
                }

                return _stoppedAt is not null || now >= options.MaxDuration.TotalSeconds;
            }
        }
    }

    private async Task WorkAsync(int worker)
    {
        var random = new Random(worker * 7919 + 17);
        for (var iteration = 0; iteration < 1_000_000 && !Stopping; iteration++)
        {
            if (options.Pace > TimeSpan.Zero)
            {
                await Task.Delay(options.Pace);
            }

            var acknowledged = PickAcknowledged(random);
            if (acknowledged is not null && random.NextDouble() < options.ReadShare)
            {
                await ReadAsync(acknowledged);
                continue;
            }

            var index = Interlocked.Increment(ref _next);
            if (index >= options.MaxBookings)
            {
                return;
            }

            await BookAsync(planner[index]);
        }
    }

    private async Task BookAsync(BookingRequest booking)
    {
        for (var attempt = 1; attempt <= options.MaxAttemptsPerBooking; attempt++)
        {
            var started = Now;
            var (status, body, error) = await SendAsync(() => api.BookAsync(clinicId, booking));
            _attempts.Enqueue(new Attempt(BookKind, booking.IdempotencyKey, booking.ProviderId, started, Now, status, error ?? Problem(status, body)));
            if (status is 201 or 409)
            {
                Succeeded();
            }

            if (status == 201)
            {
                var id = body?.Field("id") ?? throw new InvalidOperationException("A 201 without an appointment id: " + body?.Short);
                lock (_sync)
                {
                    _acknowledged.Add(new Acknowledged(id, booking, Now));
                }

                return;
            }

            // A decided outcome (slot taken) or a request the API refuses as such: not retried.
            if (status is >= 400 and < 500)
            {
                return;
            }

            if (Stopping && RetryWindowClosed())
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, options.RetryDelay.TotalMilliseconds * (1 << Math.Min(attempt - 1, 4)))));
        }
    }

    private async Task ReadAsync(Acknowledged acknowledged)
    {
        var started = Now;
        var (status, body, error) = await SendAsync(() => api.GetAppointmentAsync(clinicId, acknowledged.AppointmentId));
        if (status == 200 && body?.Field("status") is { } appointmentStatus && appointmentStatus != "booked")
        {
            error = "status " + appointmentStatus;
        }

        _attempts.Enqueue(new Attempt(ReadKind, acknowledged.AppointmentId, acknowledged.Request.ProviderId, started, Now, status, error ?? Problem(status, body)));
        if (status == 200)
        {
            Succeeded();
        }
    }

    private void Succeeded()
    {
        lock (_sync)
        {
            _lastSuccessAt = Math.Max(_lastSuccessAt, Now);
        }
    }

    private bool RetryWindowClosed()
    {
        lock (_sync)
        {
            var stop = _stoppedAt ?? options.MaxDuration.TotalSeconds;
            return _stalled || Now >= stop + options.RetryGraceAfterStop.TotalSeconds;
        }
    }

    private Acknowledged? PickAcknowledged(Random random)
    {
        lock (_sync)
        {
            return _acknowledged.Count == 0 ? null : _acknowledged[random.Next(_acknowledged.Count)];
        }
    }

    private async Task<(int Status, ApiResponse? Body, string? Error)> SendAsync(Func<Task<ApiResponse>> send)
    {
        var id = Interlocked.Increment(ref _sequence);
        _inFlight[id] = Now;
        try
        {
            var response = await send();
            return (response.Status, response, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException or ObjectDisposedException)
        {
            return (0, null, exception.GetType().Name + ": " + exception.Message);
        }
        finally
        {
            _inFlight.TryRemove(id, out _);
        }
    }

    private static string? Problem(int status, ApiResponse? body) =>
        status is 200 or 201 ? null : body?.Short;
}
