using ClinicCluster.Scheduling;

namespace ClinicCluster.Grains.Tests;

/// <summary>The clinic-wide search read page by page, and what the providers' calendars answer one by one.</summary>
internal static class ClinicSearch
{
    /// <summary>Every page of <paramref name="query"/>, in order.</summary>
    public static async Task<List<ClinicSlot>> AllPagesAsync(TestClinic clinic, ClinicAvailabilityQuery query)
    {
        var search = clinic.Grains.GetGrain<IClinicAvailabilityGrain>(clinic.Id);
        var all = new List<ClinicSlot>();
        for (var pages = 0; pages < 1000; pages++)
        {
            var page = ResultAssert.Success(await search.FindAsync(query));
            Assert.True(page.Items.Count <= query.Limit);
            all.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                return all;
            }

            query = query with { Cursor = page.NextCursor };
        }

        throw new InvalidOperationException("The search did not end.");
    }

    /// <summary>Each provider's own availability answer, merged in the clinic-wide order.</summary>
    public static async Task<List<ClinicSlot>> CalendarsAsync(TestClinic clinic, IEnumerable<string> providers, DateOnly from, DateOnly to)
    {
        var answers = await Task.WhenAll(providers.Select(async provider =>
            ResultAssert.Success(await clinic.ProviderSchedule(provider).GetAvailabilityAsync(from, to, TestClinic.Checkup))
                .Select(s => new ClinicSlot(provider, s.Start, s.End))));
        return answers.SelectMany(a => a).OrderBy(s => s.Start).ThenBy(s => s.ProviderId, StringComparer.Ordinal).ToList();
    }

    public static IClinicCalendarReplicaGrain Replica(TestClinic clinic) => clinic.Grains.GetGrain<IClinicCalendarReplicaGrain>(clinic.Id);
}
