using ClinicCluster.Audit;

namespace ClinicCluster.Api.Tests;

/// <summary>Reads a clinic's audit records from the silo, waiting for the stream to deliver them.</summary>
public static class AuditTrailReader
{
    public static async Task<IReadOnlyList<AuditRecord>> AllAsync(this ApiFixture fixture, string clinicId)
    {
        var trail = fixture.Grains.GetGrain<IAuditTrailGrain>(clinicId);
        var records = new List<AuditRecord>();
        long after = 0;
        while (true)
        {
            var page = await trail.QueryAsync(new AuditQuery(null, null, null, null, after, 1000));
            records.AddRange(page);
            if (page.Count < 1000)
            {
                return records;
            }

            after = page[^1].Sequence;
        }
    }

    /// <summary>
    /// The events whose user agent is <paramref name="marker"/>: waits until at least one arrived,
    /// then a little longer so that a second (duplicate) event would be seen too.
    /// </summary>
    public static async Task<IReadOnlyList<AuditEvent>> EventsMarkedAsync(this ApiFixture fixture, string clinicId, string marker)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var found = (await fixture.AllAsync(clinicId)).Select(r => r.Event).Where(e => e.Actor.UserAgent == marker).ToList();
            if (found.Count > 0)
            {
                await Task.Delay(300);
                return (await fixture.AllAsync(clinicId)).Select(r => r.Event).Where(e => e.Actor.UserAgent == marker).ToList();
            }

            await Task.Delay(100);
        }

        return [];
    }
}
