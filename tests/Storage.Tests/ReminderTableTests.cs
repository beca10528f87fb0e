using Microsoft.Extensions.DependencyInjection;

namespace ClinicCluster.Storage.Tests;

/// <summary>The reminder table the silo's reminder service uses, against the migrated schema.</summary>
[Collection(StorageCollection.Name)]
public sealed class ReminderTableTests(StorageFixture fixture)
{
    private IReminderTable Table => fixture.Silo.Services.GetRequiredService<IReminderTable>();

    [Fact]
    public async Task Reminders_round_trip_and_deletes_need_the_current_etag()
    {
        var grainId = GrainId.Create("appointment", TestData.NewId("apt"));
        var start = new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var entry = new ReminderEntry { GrainId = grainId, ReminderName = "hold-expiry", StartAt = start, Period = TimeSpan.FromMinutes(5) };

        var firstEtag = await Table.UpsertRow(entry) ?? throw new InvalidOperationException("No etag.");
        entry.Period = TimeSpan.FromDays(30);
        var secondEtag = await Table.UpsertRow(entry) ?? throw new InvalidOperationException("No etag.");

        var read = await Table.ReadRow(grainId, "hold-expiry");
        Assert.NotNull(read);
        Assert.NotEqual(firstEtag, secondEtag);
        Assert.Equal(secondEtag, read.ETag);
        Assert.Equal(start, read.StartAt);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        Assert.Equal(TimeSpan.FromDays(30), read.Period);
        Assert.Single((await Table.ReadRows(grainId)).Reminders);

        // Whole ring, as one silo owning every range sees it.
        var ring = await Table.ReadRows(0, 0);
        Assert.Contains(ring.Reminders, r => r.GrainId == grainId);

        Assert.False(await Table.RemoveRow(grainId, "hold-expiry", firstEtag));
        Assert.True(await Table.RemoveRow(grainId, "hold-expiry", secondEtag));
        Assert.Empty((await Table.ReadRows(grainId)).Reminders);
    }

    [Fact]
    public async Task Range_reads_split_the_hash_ring_without_gaps_or_overlaps()
    {
        var grainIds = Enumerable.Range(0, 20).Select(_ => GrainId.Create("appointment", TestData.NewId("ring"))).ToList();
        foreach (var grainId in grainIds)
        {
            await Table.UpsertRow(new ReminderEntry { GrainId = grainId, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) });
        }

        // Three ranges (a, b], (b, c], (c, a] cover the ring once; the last one wraps past uint.MaxValue.
        uint a = 0x1000_0000, b = 0x8000_0000, c = 0xF000_0000;
        var found = new List<GrainId>();
        foreach (var (begin, end) in new[] { (a, b), (b, c), (c, a) })
        {
            found.AddRange((await Table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId).Where(grainIds.Contains));
        }

        Assert.Equal(grainIds.Order(), found.Order());
    }
}
