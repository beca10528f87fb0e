using System.Globalization;

namespace ClinicCluster.Cluster.Tests.Infrastructure;

/// <summary>A clinic created through the API for one test, with its providers and patients.</summary>
public sealed record TestClinic(string Id, string TimeZone, IReadOnlyList<string> Providers, IReadOnlyList<string> Patients)
{
    public const string Checkup = "checkup";
    public const int CheckupMinutes = 30;
    public static readonly TimeOnly DayStart = new(8, 0);
    public static readonly TimeOnly DayEnd = new(18, 0);

    /// <summary>
    /// A New York clinic with a 30-minute checkup, no notice or cancellation limits, and providers
    /// working 08:00-18:00 every day; created with a bounded number of parallel requests.
    /// </summary>
    public static async Task<TestClinic> CreateAsync(ClinicApi api, string prefix, int providers, int patients)
    {
        var id = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 13)];
        const string timeZone = "America/New_York";
        await api.CreateClinicAsync(id, timeZone,
            [new { name = Checkup, durationMinutes = CheckupMinutes, bufferMinutes = 0 }],
            new { minimumNoticeMinutes = 0, maximumHorizonDays = 365, cancellationCutoffMinutes = 0, slotIntervalMinutes = 15 });

        var providerIds = new string[providers];
        await Parallel.ForAsync(0, providers, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            providerIds[i] = await api.AddProviderAsync(id, $"Provider {i}", DayStart, DayEnd));

        // MRNs: at most 32 characters; a random part keeps them unique if a clinic id were ever reused.
        var mrnPrefix = Guid.NewGuid().ToString("N")[..8];
        var patientIds = new string[patients];
        await Parallel.ForAsync(0, patients, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            patientIds[i] = await api.RegisterPatientAsync(id, $"{mrnPrefix}-{i.ToString("D4", CultureInfo.InvariantCulture)}"));

        return new TestClinic(id, timeZone, providerIds, patientIds);
    }

    public SlotPlanner Planner(string keyPrefix) =>
        new(TimeZone, Providers, Patients, Checkup, CheckupMinutes, DayStart, DayEnd, keyPrefix);
}
