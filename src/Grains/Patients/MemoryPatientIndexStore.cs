namespace ClinicCluster.Patients;

/// <summary>
/// The embedded default's index store: each partition's rows live in its
/// <see cref="IMemoryPatientIndexGrain"/>, so both storage modes share one write path.
/// </summary>
public sealed class MemoryPatientIndexStore(IGrainFactory grains) : IPatientIndexStore
{
    public Task<IReadOnlyList<PatientIndexEntry>> LoadAsync(string partition) => Partition(partition).LoadAsync();

    public async Task<IReadOnlyList<PatientIndexStamp>> LoadStampsAsync(string partition) =>
        [.. (await LoadAsync(partition)).Select(e => new PatientIndexStamp(e.Key, e.Owner, PatientIndexStamp.Of(e.Value)))];

    public async Task<IReadOnlyList<PatientIndexEntry>> LoadAsync(string partition, IReadOnlyCollection<string> keys)
    {
        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        return [.. (await LoadAsync(partition)).Where(e => wanted.Contains(e.Key))];
    }

    public Task<PatientIndexEntry?> GetAsync(string partition, string key) => Partition(partition).GetAsync(key);

    public Task<string> PutAsync(string partition, PatientIndexEntry entry) => Partition(partition).PutAsync(entry);

    // In memory there is no transaction to share: the claim first, the rest only if it was won.
    public async Task<string> PutAsync(string partition, PatientIndexEntry claim, IReadOnlyList<PartitionedIndexEntry> rest)
    {
        var holder = await Partition(partition).PutAsync(claim);
        if (holder == claim.Owner)
        {
            await Task.WhenAll(rest.Select(r => Partition(r.Partition).PutAsync(r.Entry)));
        }

        return holder;
    }

    public Task<bool> RemoveAsync(string partition, string key, string owner) => Partition(partition).RemoveAsync(key, owner);

    private IMemoryPatientIndexGrain Partition(string partition) => grains.GetGrain<IMemoryPatientIndexGrain>(partition);
}

/// <summary>One index partition's rows in memory (embedded mode). Key: the partition's grain key.</summary>
public interface IMemoryPatientIndexGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<IReadOnlyList<PatientIndexEntry>> LoadAsync();

    [ReadOnly]
    Task<PatientIndexEntry?> GetAsync(string key);

    Task<string> PutAsync(PatientIndexEntry entry);

    Task<bool> RemoveAsync(string key, string owner);
}

/// <summary>
/// Orleans runs one call at a time here, so check-then-write is as atomic as PostgreSQL's
/// <c>INSERT ... ON CONFLICT</c>; a timer keeps the activation (and so the rows) alive while the silo runs.
/// </summary>
public sealed class MemoryPatientIndexGrain : Grain, IMemoryPatientIndexGrain
{
    private readonly Dictionary<string, PatientIndexEntry> _rows = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(() => Task.CompletedTask, new GrainTimerCreationOptions(TimeSpan.FromHours(1), TimeSpan.FromHours(1)) { KeepAlive = true });
        return base.OnActivateAsync(cancellationToken);
    }

    public Task<IReadOnlyList<PatientIndexEntry>> LoadAsync() => Task.FromResult<IReadOnlyList<PatientIndexEntry>>([.. _rows.Values]);

    public Task<PatientIndexEntry?> GetAsync(string key) => Task.FromResult(_rows.GetValueOrDefault(key));

    public Task<string> PutAsync(PatientIndexEntry entry)
    {
        if (_rows.TryGetValue(entry.Key, out var holder) && holder.Owner != entry.Owner)
        {
            return Task.FromResult(holder.Owner);
        }

        _rows[entry.Key] = entry;
        return Task.FromResult(entry.Owner);
    }

    public Task<bool> RemoveAsync(string key, string owner) =>
        Task.FromResult(_rows.TryGetValue(key, out var holder) && holder.Owner == owner && _rows.Remove(key));
}
