using ClinicCluster.Audit;

namespace ClinicCluster.Fhir.Tests;

/// <summary>Reads the audit events of one test's requests (marked by their User-Agent) from the silo.</summary>
public static class AuditReader
{
    /// <summary>Waits until at least one event with the marker arrived, then a little longer, so a duplicate would be seen too.</summary>
    public static async Task<IReadOnlyList<AuditEvent>> EventsMarkedAsync(this FhirFixture fixture, string clinicId, string marker, int atLeast = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var found = await MarkedAsync(fixture, clinicId, marker);
            if (found.Count >= atLeast || DateTime.UtcNow > deadline)
            {
                await Task.Delay(300);
                return await MarkedAsync(fixture, clinicId, marker);
            }

            await Task.Delay(100);
        }
    }

    private static async Task<List<AuditEvent>> MarkedAsync(FhirFixture fixture, string clinicId, string marker)
    {
        var records = await fixture.Grains.GetGrain<IAuditTrailGrain>(clinicId).QueryAsync(new AuditQuery(null, null, null, null, 0, 1000));
        return records.Select(r => r.Event).Where(e => e.Actor.UserAgent == marker).ToList();
    }
}
