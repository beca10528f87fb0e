namespace ClinicCluster.Scheduling;

/// <summary>
/// Merges the providers' slot lists (each sorted by start, as a calendar answers them) into the
/// clinic-wide order, keeping only slots after a position, and stops at a limit: a k-way merge,
/// <c>O(limit × log providers)</c> after the first element of each list, never a sort of everything.
/// </summary>
public static class ClinicSlotMerge
{
    private static readonly Comparer<ClinicSlot> Order = Comparer<ClinicSlot>.Create(SlotPosition.Compare);

    public static List<ClinicSlot> Earliest(IEnumerable<IReadOnlyList<ClinicSlot>> perProvider, SlotPosition? after, int limit)
    {
        var merged = new List<ClinicSlot>();
        if (limit <= 0)
        {
            return merged;
        }

        // Each queue entry is a provider's list and the index of its next slot.
        var queue = new PriorityQueue<(IReadOnlyList<ClinicSlot> List, int Index), ClinicSlot>(Order);
        foreach (var list in perProvider)
        {
            var first = FirstAfter(list, 0, after);
            if (first < list.Count)
            {
                queue.Enqueue((list, first), list[first]);
            }
        }

        while (merged.Count < limit && queue.TryDequeue(out var next, out var slot))
        {
            merged.Add(slot);
            var following = FirstAfter(next.List, next.Index + 1, after);
            if (following < next.List.Count)
            {
                queue.Enqueue((next.List, following), next.List[following]);
            }
        }

        return merged;
    }

    private static int FirstAfter(IReadOnlyList<ClinicSlot> list, int index, SlotPosition? after)
    {
        while (index < list.Count && after is { } position && !position.IsBefore(list[index]))
        {
            index++;
        }

        return index;
    }
}
