using System.Globalization;
using ClinicCluster.Persistence.Postgres.Ledger;
using Npgsql;

namespace ClinicCluster.AuditScale;

/// <summary>
/// <c>AuditScale appointments</c>: the appointment ledger's bulk seed (<see cref="LedgerSeeder"/>,
/// decision 0056) into an existing clinic, for scripts/bench-scale.sh. A larger count extends a
/// smaller seed of the same clinic (appointment n is always the same row).
/// </summary>
public static class LedgerSeedCommand
{
    public static async Task<int> RunAsync(IReadOnlyDictionary<string, string> options)
    {
        if (!options.TryGetValue("connection", out var connection) || !options.TryGetValue("clinic", out var clinic)
            || !options.TryGetValue("providers", out var providers) || !options.TryGetValue("count", out var count))
        {
            Console.Error.WriteLine("usage: AuditScale appointments --connection <owner connection string> --clinic ID --providers a,b,... --count N [--time-zone Z] [--type checkup]");
            return 64;
        }

        var shape = new LedgerSeedShape(
            ClinicId: clinic,
            TimeZone: options.GetValueOrDefault("time-zone", "America/New_York"),
            AppointmentType: options.GetValueOrDefault("type", "checkup"),
            ProviderIds: providers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Count: long.Parse(count, CultureInfo.InvariantCulture));
        await using var dataSource = NpgsqlDataSource.Create(connection);
        var report = await new LedgerSeeder(dataSource).SeedAsync(shape, Console.WriteLine, CancellationToken.None);
        Console.WriteLine(FormattableString.Invariant(
            $"appointments: {report.Inserted:N0} inserted (of {shape.Count:N0}, over {report.Patients:N0} patients) in {report.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }
}
