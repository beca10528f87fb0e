using ClinicCluster.Audit;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Audit;

/// <summary>
/// Denials without amplification. The first denial from a source (client address, subject, clinic,
/// operation, status) in a window is recorded as it is; the following ones in that window are only
/// counted, and one event with the count (<see cref="AuditEvent.ResultCount"/>, query kind
/// <see cref="AggregatedKind"/>) is recorded when the window closes. So every denial is accounted
/// for, and a flood writes two audit rows per source and window instead of one per request.
/// </summary>
public sealed partial class DenialAggregator(
    IAuditTrail trail, TimeProvider clock, IOptions<DenialAggregatorOptions> options, DenialMetrics metrics, ILogger<DenialAggregator> logger)
    : BackgroundService
{
    /// <summary>The query kind of an event that stands for several denials.</summary>
    public const string AggregatedKind = "denials-aggregated";

    private readonly Dictionary<Source, Window> _windows = [];
    private readonly Lock _lock = new();

    /// <summary>True when the denial must be recorded now; false when it was counted into its source's window.</summary>
    public bool Admit(AuditEvent denial)
    {
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var source = _windows.Count < options.Value.MaxSources
                ? new Source(denial.ClinicId, denial.Operation, denial.HttpStatus, denial.Actor.ClientAddress, denial.Actor.Subject)
                : new Source(denial.ClinicId, denial.Operation, denial.HttpStatus, null, null);
            if (_windows.TryGetValue(source, out var window) && now < window.Ends)
            {
                window.Count++;
                metrics.Denied(denial.HttpStatus, aggregated: true);
                return false;
            }

            _windows[source] = new Window(denial, now + options.Value.Window);
            metrics.Denied(denial.HttpStatus, aggregated: false);
            return true;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(all: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(all: true, cancellationToken);
    }

    /// <summary>Records the counted event of every closed window (of every window when stopping).</summary>
    public async Task FlushAsync(bool all, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<AuditEvent> due = [];
        lock (_lock)
        {
            foreach (var (source, window) in _windows.Where(w => all || now >= w.Value.Ends).ToList())
            {
                _windows.Remove(source);
                if (window.Count > 0)
                {
                    due.Add(window.First with
                    {
                        EventId = Guid.CreateVersion7(),
                        RecordedAt = now,
                        PatientId = null,
                        ResourceId = null,
                        CorrelationId = null,
                        QueryKind = AggregatedKind,
                        ResultCount = window.Count,
                    });
                }
            }
        }

        foreach (var aggregated in due)
        {
            try
            {
                await trail.RecordAsync(aggregated, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Only the count and the type: the event names a clinic and an address.
                LogFlushFailed(logger, aggregated.ResultCount ?? 0, exception.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record an aggregated denial event for {Count} denials ({ExceptionType})")]
    private static partial void LogFlushFailed(ILogger logger, int count, string exceptionType);

    private sealed record Source(string ClinicId, string Operation, int Status, string? Address, string? Subject);

    private sealed class Window(AuditEvent first, DateTimeOffset ends)
    {
        public AuditEvent First { get; } = first;

        public DateTimeOffset Ends { get; } = ends;

        public int Count { get; set; }
    }
}
