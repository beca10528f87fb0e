using System.Collections;
using System.Diagnostics;

namespace ClinicCluster.Observability.Tests.Infrastructure;

/// <summary>
/// What the in-memory exporters of both hosts receive. Both hosts run in this process, so each
/// tracer provider sees every span; they are kept once by span id.
/// </summary>
public sealed class SpanCollector : ICollection<Activity>
{
    private readonly Dictionary<ActivitySpanId, Activity> _spans = [];

    public int Count
    {
        get
        {
            lock (_spans)
            {
                return _spans.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans.Values];
        }
    }

    public void Add(Activity item)
    {
        lock (_spans)
        {
            _spans.TryAdd(item.SpanId, item);
        }
    }

    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    public bool Contains(Activity item)
    {
        lock (_spans)
        {
            return _spans.ContainsKey(item.SpanId);
        }
    }

    public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().ToArray().CopyTo(array, arrayIndex);

    public bool Remove(Activity item)
    {
        lock (_spans)
        {
            return _spans.Remove(item.SpanId);
        }
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
