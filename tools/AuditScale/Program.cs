using System.Diagnostics;
using System.Globalization;
using ClinicCluster.Audit;
using ClinicCluster.AuditScale;
using ClinicCluster.Persistence.Postgres.Audit;
using ClinicCluster.Security;
using Npgsql;

// dotnet run -c Release --project tools/AuditScale -- --connection "<owner connection string>" --chain-key-file keys.json
//     [--clinics 1 | --clinic ID] [--rows 5000000] [--patients 100000] [--days 365] [--start 2026-01-01] [--hot 10000]
//     [--hot-patient ID] [--add N (with --clinic)] [--parallelism 2] [--samples 200] [--skip-load] [--skip-queries] [--skip-verify]
// Loads (or resumes) the trail, measures the auditor's queries, verifies one clinic's chain, prints storage.
// dotnet run ... -- appointments --connection "<...>" --clinic ID --providers a,b,... --count 1000000
//     [--time-zone America/New_York] [--type checkup]: the ledger's bulk seed (LedgerSeedCommand, decision 0056).
// dotnet run ... -- sweep --connection "<...>" --clinic ID --key-ring-file F [--rounds 500] [--out f.json]:
//     one sweep's reads at the data's size (SweepCostCommand).
if (args.Length > 0 && args[0] == "appointments")
{
    return await LedgerSeedCommand.RunAsync(Args(args[1..]));
}

if (args.Length > 0 && args[0] == "sweep")
{
    return await SweepCostCommand.RunAsync(Args(args[1..]));
}

var options = Args(args);
string Get(string name, string fallback) => options.TryGetValue(name, out var value) ? value : fallback;
int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

if (!options.TryGetValue("connection", out var connection))
{
    Console.Error.WriteLine("usage: AuditScale --connection <owner connection string> [--chain-key-file f] [--rows n] ... (see Program.cs)");
    return 64;
}

var keys = new AuditChainKeys(options.TryGetValue("chain-key-file", out var file)
    ? KeyRing.Load(file, "--chain-key-file", requireIndexKey: false)
    : KeyRing.Ephemeral("scale-chain"));
var shape = new AuditTrailShape(
    Clinics: Int("clinics", 1),
    Rows: long.Parse(Get("rows", "5000000"), CultureInfo.InvariantCulture),
    Patients: Int("patients", 100_000),
    Actors: Int("actors", 200),
    Start: DateOnly.ParseExact(Get("start", "2026-01-01"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
    Days: Int("days", 365),
    HotPatientEvents: Int("hot", 10_000),
    ClinicId: options.GetValueOrDefault("clinic"),
    HotPatient: Get("hot-patient", AuditTrailShape.HotPatientId));

await using var dataSource = NpgsqlDataSource.Create(connection);
if (options.TryGetValue("add", out var add) && shape.ClinicId is { } one)
{
    // --add N with --clinic: N events beyond the chain as it stands (the API appends to it too);
    // --hot then counts the hot patient's events among those N (the generator spreads them over all rows).
    var (head, added) = (await AuditTrailStatistics.HeadAsync(dataSource, one, CancellationToken.None), long.Parse(add, CultureInfo.InvariantCulture));
    shape = shape with { Rows = head + added, HotPatientEvents = (int)Math.Min(int.MaxValue, shape.HotPatientEvents * (head + added) / Math.Max(1, added)) };
}

if (!options.ContainsKey("skip-load"))
{
    var load = await new AuditTrailLoader(dataSource, keys).LoadAsync(shape, Int("parallelism", 2), Console.WriteLine, CancellationToken.None);
    Console.WriteLine(FormattableString.Invariant($"load: {load.Rows:N0} rows in {load.Elapsed.TotalSeconds:F0} s ({load.RowsPerSecond:N0} rows/s)"));
}

var storage = await AuditTrailStatistics.StorageAsync(dataSource, CancellationToken.None);
Console.WriteLine(FormattableString.Invariant(
    $"storage: {storage.Events:N0} events, {storage.TotalBytes / 1048576.0:N0} MiB ({storage.EventBytes / 1048576.0:N0} events+indexes, {storage.EventIdBytes / 1048576.0:N0} ids, {storage.ChainPositionBytes / 1048576.0:N0} positions, {storage.QueryIndexBytes / 1048576.0:N0} query indexes), {storage.BytesPerEvent:N0} bytes/event"));

if (options.ContainsKey("skip-queries"))
{
    return 0;
}

var figures = await new AuditQueryBench(dataSource, keys).RunAsync(shape, Int("samples", 200), CancellationToken.None);
Console.WriteLine($"patient disclosures (all pages): {figures.PatientDisclosures}");
Console.WriteLine($"a day's events (first page of 100): {figures.DayEvents}");
Console.WriteLine($"hot patient export ({figures.HotPatientEvents:N0} events): {figures.HotPatientExport}");

if (!options.ContainsKey("skip-verify"))
{
    var clinic = shape.ClinicIds.First();
    var watch = Stopwatch.StartNew();
    var result = await new AuditChainVerifier(dataSource, keys).VerifyAsync(clinic, CancellationToken.None);
    Console.WriteLine(FormattableString.Invariant(
        $"verify {clinic}: {(result.IsIntact ? "intact" : "BROKEN: " + result.Problem)}, {result.VerifiedRecords:N0} rows in {watch.Elapsed.TotalSeconds:F1} s ({result.VerifiedRecords / watch.Elapsed.TotalSeconds:N0} rows/s)"));
    return result.IsIntact ? 0 : 1;
}

return 0;

static Dictionary<string, string> Args(IReadOnlyList<string> args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Count; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            continue;
        }

        var name = args[i][2..];
        options[name] = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
    }

    return options;
}
