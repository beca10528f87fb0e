using ClinicCluster.Clinics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ClinicCluster.Storage.Tests;

/// <summary>The storage provider itself, as two activations of one grain would use it.</summary>
[Collection(StorageCollection.Name)]
public sealed class GrainStorageConcurrencyTests(StorageFixture fixture)
{
    private const string StateName = "clinic";

    private IGrainStorage Storage => fixture.Silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Clinics);

    [Fact]
    public async Task A_write_with_a_stale_etag_is_rejected()
    {
        var grainId = NewGrainId();
        var writer = new GrainState<ClinicState>(State("v1"));
        await Storage.WriteStateAsync(StateName, grainId, writer);
        var stale = new GrainState<ClinicState>(State("stale"), writer.ETag);

        writer.State = State("v2");
        await Storage.WriteStateAsync(StateName, grainId, writer);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, stale));
        Assert.Equal("v2", (await ReadAsync(grainId)).State?.Clinic?.Settings.Name);
    }

    [Fact]
    public async Task A_clear_with_a_stale_etag_is_rejected()
    {
        var grainId = NewGrainId();
        var writer = new GrainState<ClinicState>(State("v1"));
        await Storage.WriteStateAsync(StateName, grainId, writer);
        var stale = new GrainState<ClinicState>(State("v1"), writer.ETag) { RecordExists = true };
        await Storage.WriteStateAsync(StateName, grainId, writer);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, grainId, stale));

        await Storage.ClearStateAsync(StateName, grainId, writer);
        var cleared = await ReadAsync(grainId);
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.State?.Clinic);
    }

    [Fact]
    public async Task Versions_advance_with_each_write_and_are_the_etag()
    {
        var grainId = NewGrainId();
        var writer = new GrainState<ClinicState>(State("v1"));

        await Storage.WriteStateAsync(StateName, grainId, writer);
        Assert.Equal("1", writer.ETag);
        await Storage.WriteStateAsync(StateName, grainId, writer);
        Assert.Equal("2", writer.ETag);

        var read = await ReadAsync(grainId);
        Assert.True(read.RecordExists);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task Of_concurrent_first_writes_exactly_one_succeeds()
    {
        var grainId = NewGrainId();
        var writers = Enumerable.Range(0, 8).Select(i => new GrainState<ClinicState>(State($"writer-{i}"))).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var racing = writers.Select(writer => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await Storage.WriteStateAsync(StateName, grainId, writer);
                return (Writer: writer, Error: (Exception?)null);
            }
            catch (InconsistentStateException exception)
            {
                return (Writer: writer, Error: exception);
            }
        })).ToList();
        start.SetResult();
        var outcomes = await Task.WhenAll(racing);

        var winner = Assert.Single(outcomes, o => o.Error is null).Writer;
        Assert.Equal("1", winner.ETag);
        Assert.Equal(winner.State?.Clinic?.Settings.Name, (await ReadAsync(grainId)).State?.Clinic?.Settings.Name);
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM orleans.grain_state WHERE grain_type = @type AND grain_id_ext = @id",
            ("type", StateName), ("id", grainId.Key.ToString()!)));
    }

    private static GrainId NewGrainId() => GrainId.Create("clinic", TestData.NewId("etag"));

    private static ClinicState State(string name) => new() { Clinic = new Clinic("etag", TestData.Clinic(name), []) };

    private async Task<GrainState<ClinicState>> ReadAsync(GrainId grainId)
    {
        var state = new GrainState<ClinicState>();
        await Storage.ReadStateAsync(StateName, grainId, state);
        return state;
    }
}
