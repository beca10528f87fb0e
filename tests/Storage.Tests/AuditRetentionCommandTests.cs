using System.Security.Cryptography;
using ClinicCluster.AuditScale;
using ClinicCluster.Silo.Commands;
using Npgsql;
using Xunit.Abstractions;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// <c>audit retention</c> end to end, through the silo's command line as an operator or the chart's
/// CronJob runs it (the way <c>audit verify</c>'s tests run theirs, AuditTamperTests): with the
/// clinic_retention role and the chain key ring it detaches the expired month, archives it with its
/// SHA-256, signs the cut, and <c>audit verify --all</c> still passes afterwards. A database of its
/// own: <c>--all</c> walks every clinic and retention expires every old month.
/// </summary>
public sealed class AuditRetentionCommandTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestDatabase _database = new("clinic_retention_cmd");
    private readonly string _archive = Directory.CreateTempSubdirectory("audit-archive-").FullName;
    private readonly string _checkpoints = Directory.CreateTempSubdirectory("audit-checkpoints-").FullName;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_archive, recursive: true);
        Directory.Delete(_checkpoints, recursive: true);
    }

    [Fact]
    public async Task The_retention_command_expires_a_month_archives_it_signs_the_cut_and_verify_all_still_passes()
    {
        // January and February 2026 of one clinic's keyed chain, written through the store's append.
        await using (var owner = NpgsqlDataSource.Create(_database.Owner))
        {
            await new AuditTrailLoader(owner, TestKeyRings.ChainKeys)
                .LoadAsync(new AuditTrailShape(1, 1_000, 100, 5, new DateOnly(2026, 1, 1), 59, 0, ClinicPrefix: "cmd"), 1, null, CancellationToken.None);
        }

        var january = await CountAsync("SELECT count(*) FROM audit.events WHERE recorded_at < '2026-02-01'");
        Assert.InRange(january, 1, 999);
        string[] chain = ["--Audit:ChainKeyFile", TestKeyRings.ChainRingFile];

        var (exit, report) = await RunAsync(
            ["audit", "retention", "--before", "2026-02-01", "--archive-directory", _archive, "--Postgres:ConnectionString", _database.Retention, .. chain]);

        Assert.Equal(0, exit);
        Assert.Contains("2026-01: detached in", report, StringComparison.Ordinal);
        Assert.Contains("expired 1 month(s); 1 cut(s) signed.", report, StringComparison.Ordinal);

        // Detached and dropped: the month is gone from the database, February stays.
        Assert.True(await _database.ScalarAsync<bool>("SELECT to_regclass('audit.events_2026_01') IS NULL"));
        Assert.True(await _database.ScalarAsync<bool>("SELECT to_regclass('audit.events_2026_02') IS NOT NULL"));
        Assert.Equal(1_000 - january, await CountAsync("SELECT count(*) FROM audit.events"));

        // Archived: the binary COPY of January's rows, and a SHA-256 file that matches it.
        var archive = Path.Combine(_archive, "audit.events_2026_01.copy");
        Assert.True(new FileInfo(archive).Length > january * 100, "the archive holds the month's rows");
        var digest = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(archive)));
        Assert.Equal($"{digest}  audit.events_2026_01.copy\n", await File.ReadAllTextAsync(archive + ".sha256"));

        // The cut is recorded at January's last event and signed with the active chain key.
        Assert.Equal(
            $"cmd-001 {january} {TestKeyRings.ChainKeyId} true",
            await _database.ScalarAsync<string>("SELECT clinic_id || ' ' || sequence || ' ' || key_id || ' ' || (signature IS NOT NULL) FROM audit.retention_cuts"));

        var (verified, verifyReport) = await RunAsync(
            ["audit", "verify", "--all", "--Postgres:ConnectionString", _database.App, "--Audit:CheckpointDirectory", _checkpoints, .. chain]);
        Assert.Equal(0, verified);
        var rows = 1_000 - january;
        Assert.Matches(
            $@"^cmd-001: intact, {rows} record\(s\) verified, no checkpoint \(\d+\.\d\d s, \d+ rows/s\)\.\r?\n" +
            $@"all clinics: intact, {rows} record\(s\) verified in 1 clinic\(s\) \(\d+\.\d\d s, \d+ rows/s\)\.$",
            verifyReport.Trim());

        // Run again: nothing left to expire, still 0.
        var (again, againReport) = await RunAsync(
            ["audit", "retention", "--before", "2026-02-01", "--archive-directory", _archive, "--Postgres:ConnectionString", _database.Retention, .. chain]);
        Assert.Equal(0, again);
        Assert.Contains("expired 0 month(s); 0 cut(s) signed.", againReport, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output)> RunAsync(string[] arguments)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await SiloCommandLine.InvokeAsync(arguments, stdout, stderr);
        output.WriteLine($"{string.Join(' ', arguments.Take(2))} exited {exit}\n{stdout}\nstderr: {stderr}");
        return (exit, stdout.ToString());
    }

    private Task<long> CountAsync(string sql) => _database.ScalarAsync<long>(sql);
}
