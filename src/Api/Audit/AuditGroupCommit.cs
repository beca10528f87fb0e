using System.Collections.Concurrent;
using ClinicCluster.Audit;

namespace ClinicCluster.Api.Audit;

/// <summary>
/// Group commit of audit events, per clinic. A request's event joins its clinic's pending list;
/// if no publish of that clinic is in flight, the request starts one at once with everything
/// pending; otherwise its event rides in the next publish, which starts the moment the current
/// one returns. So an idle API adds no delay, and a busy one turns many requests' events into one
/// queue row (one round trip) instead of one each. Every request still waits for the publish that
/// holds its own event: durable before the response; a failed publish fails each of its requests.
/// </summary>
public sealed class AuditGroupCommit(Func<string, IReadOnlyList<AuditEvent>, Task> publish, int maxBatchSize)
{
    private readonly ConcurrentDictionary<string, ClinicQueue> _clinics =
        new(StringComparer.Ordinal);

    private readonly Func<string, IReadOnlyList<AuditEvent>, Task> _publish = publish;
    private readonly int _maxBatchSize = maxBatchSize > 0
        ? maxBatchSize
        : throw new ArgumentOutOfRangeException(nameof(maxBatchSize), "A batch holds at least one event.");

    /// <summary>Completes when the publish holding the event has returned; faults as it faults.</summary>
    public Task EnqueueAsync(AuditEvent auditEvent) =>
        _clinics.GetOrAdd(auditEvent.ClinicId, clinic => new ClinicQueue(clinic, this)).Enqueue(auditEvent);

    private sealed class ClinicQueue(string clinicId, AuditGroupCommit owner)
    {
        private readonly Lock _lock = new();
        private List<Pending> _pending = [];
        private bool _publishing;

        public Task Enqueue(AuditEvent auditEvent)
        {
            // Continuations run off the publishing thread, so one request's continuation cannot
            // delay the completion of the others in its batch.
            var pending = new Pending(auditEvent, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            bool start;
            lock (_lock)
            {
                _pending.Add(pending);
                start = !_publishing;
                _publishing = true;
            }

            if (start)
            {
                // Runs inline up to the first await: the first request publishes without a hop.
                _ = PublishPendingAsync();
            }

            return pending.Done.Task;
        }

        private async Task PublishPendingAsync()
        {
            while (true)
            {
                List<Pending> batch;
                lock (_lock)
                {
                    if (_pending.Count == 0)
                    {
                        _publishing = false;
                        return;
                    }

                    if (_pending.Count <= owner._maxBatchSize)
                    {
                        (batch, _pending) = (_pending, []);
                    }
                    else
                    {
                        batch = _pending[..owner._maxBatchSize];
                        _pending.RemoveRange(0, owner._maxBatchSize);
                    }
                }

                try
                {
                    await owner._publish(clinicId, batch.ConvertAll(p => p.Event));
                    foreach (var p in batch)
                    {
                        p.Done.TrySetResult();
                    }
                }
                catch (Exception exception)
                {
                    foreach (var p in batch)
                    {
                        p.Done.TrySetException(exception);
                    }
                }
            }
        }
    }

    private sealed record Pending(AuditEvent Event, TaskCompletionSource Done);
}
