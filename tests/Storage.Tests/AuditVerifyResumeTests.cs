using System.Text.RegularExpressions;
using ClinicCluster.Audit;
using ClinicCluster.Persistence.Postgres.Audit;
using ClinicCluster.Silo.Commands;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// <c>audit verify</c> reports its rate, records signed progress beside the checkpoints, and
/// <c>--resume</c> starts after it (decision 0058): a stopped walk continues where it recorded,
/// a forged progress record is refused, and a row rewritten at or after the progress point is
/// still found. Small chains and a progress record every few rows keep it to seconds.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed partial class AuditVerifyResumeTests(StorageFixture fixture) : IDisposable
{
    private const string Bypass = "SET session_replication_role = replica; ";
    private readonly string _checkpoints = Directory.CreateTempSubdirectory("audit-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(_checkpoints, recursive: true);

    [Fact]
    public async Task Verify_prints_each_clinics_rows_and_rows_per_second_and_a_total_line()
    {
        var first = await SeedAsync(3);
        var second = await SeedAsync(2);

        var (exit, output) = await VerifyCommandAsync("--clinic", first, "--clinic", second);

        Assert.Equal(0, exit);
        var lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches($@"^{first}: intact, 3 record\(s\) verified, no checkpoint \(\d+\.\d\d s, \d+ rows/s\)\.$", lines[0]);
        Assert.Matches($@"^{second}: intact, 2 record\(s\) verified, no checkpoint \(\d+\.\d\d s, \d+ rows/s\)\.$", lines[1]);
        Assert.Matches(@"^all clinics: intact, 5 record\(s\) verified in 2 clinic\(s\) \(\d+\.\d\d s, \d+ rows/s\)\.$", lines[2]);
        Assert.True(RowsPerSecond(lines[2]) > 0, lines[2]);

        await AsSuperuserAsync(Bypass + $"UPDATE audit.events SET operation = 'Forged' WHERE clinic_id = '{second}' AND sequence = 2");
        var (broken, brokenOutput) = await VerifyCommandAsync("--clinic", first, "--clinic", second);
        Assert.Equal(1, broken);
        Assert.Contains($"{second}: BROKEN at sequence 2 after 1 intact record(s): ", brokenOutput, StringComparison.Ordinal);
        Assert.Contains("all clinics: 1 of 2 BROKEN, 4 record(s) verified in 2 clinic(s) (", brokenOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_walk_stopped_after_its_first_progress_record_resumes_there_and_verifies_only_the_rest()
    {
        var clinic = await SeedAsync(50);
        using var stop = new CancellationTokenSource();
        var run = new AuditVerifyRun(Progress(), ProgressEvery: 10, Recorded: _ => stop.Cancel());

        await using (var dataSource = NpgsqlDataSource.Create(fixture.Database.App))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => new AuditChainVerifier(dataSource, TestKeyRings.ChainKeys).VerifyAsync(clinic, run, stop.Token));
        }

        Assert.Equal(10, Progress().Read(clinic)!.Sequence);
        var (exit, output) = await VerifyCommandAsync("--clinic", clinic, "--resume", "--progress-every", "10");
        Assert.Equal(0, exit);
        Assert.Contains($"{clinic}: intact, 40 record(s) verified after the verify progress at sequence 10, no checkpoint (", output, StringComparison.Ordinal);
        Assert.Equal(50, Progress().Read(clinic)!.Sequence);

        // Nothing appended since: a resumed run has nothing left to walk; new rows are all it walks.
        Assert.Contains("intact, 0 record(s) verified after the verify progress at sequence 50", (await VerifyCommandAsync("--clinic", clinic, "--resume")).Output, StringComparison.Ordinal);
        await SeedAsync(7, clinic);
        Assert.Contains("intact, 7 record(s) verified after the verify progress at sequence 50", (await VerifyCommandAsync("--clinic", clinic, "--resume")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_progress_record_is_refused()
    {
        var clinic = await SeedAsync(20);
        Assert.Equal(0, (await VerifyCommandAsync("--clinic", clinic, "--progress-every", "5")).Exit);
        var path = Progress().PathOf(clinic);
        var genuine = await File.ReadAllTextAsync(path);

        // Moved forward: a run resuming there would skip rows nobody verified.
        await File.WriteAllTextAsync(path, genuine.Replace("\"sequence\": 20", "\"sequence\": 25", StringComparison.Ordinal));
        var (moved, movedOutput) = await VerifyCommandAsync("--clinic", clinic, "--resume");
        Assert.Equal(1, moved);
        Assert.Contains($"{clinic}: BROKEN at sequence 25 after 0 intact record(s): its verify progress record's signature does not hold", movedOutput, StringComparison.Ordinal);

        // A head checkpoint is signed with the same key, but for another purpose: it does not pass for progress.
        var checkpoints = new AuditCheckpoints(_checkpoints, TestKeyRings.ChainKeys);
        var head = await TestDatabase.ScalarAsync<string>(fixture.Database.Owner, $"SELECT hash FROM audit.events WHERE clinic_id = '{clinic}' AND sequence = 20");
        Assert.True(checkpoints.Write(checkpoints.Sign(clinic, 20, head, DateTimeOffset.UtcNow)));
        File.Copy(Path.Combine(_checkpoints, clinic + ".checkpoint.json"), path, overwrite: true);
        var (copied, copiedOutput) = await VerifyCommandAsync("--clinic", clinic, "--resume");
        Assert.Equal(1, copied);
        Assert.Contains("a forged progress record", copiedOutput, StringComparison.Ordinal);

        // Without --resume the record is not read: the full walk passes, and records genuine progress again.
        Assert.Equal(0, (await VerifyCommandAsync("--clinic", clinic)).Exit);
        Assert.True(Progress().IsAuthentic(Progress().Read(clinic)!));
    }

    [Fact]
    public async Task A_row_changed_after_the_progress_point_is_found_on_resume()
    {
        var clinic = await SeedAsync(10);
        Assert.Equal(0, (await VerifyCommandAsync("--clinic", clinic)).Exit);
        await SeedAsync(10, clinic);
        await AsSuperuserAsync(Bypass + $"UPDATE audit.events SET operation = 'Forged' WHERE clinic_id = '{clinic}' AND sequence = 15");

        var (exit, output) = await VerifyCommandAsync("--clinic", clinic, "--resume");

        Assert.Equal(1, exit);
        Assert.Contains($"{clinic}: BROKEN at sequence 15 after 4 intact record(s) after the verify progress at sequence 10: its hash does not match", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("content")]
    [InlineData("content-and-hash-under-the-key")]
    public async Task The_row_at_the_progress_point_changed_is_found_on_resume(string rewrite)
    {
        var clinic = await SeedAsync(10);
        Assert.Equal(0, (await VerifyCommandAsync("--clinic", clinic)).Exit);
        await SeedAsync(5, clinic);
        var row = await ReadRowAsync(clinic, 10);
        var forged = row.Event with { PatientId = "pat-innocent", ResourceId = "pat-innocent" };
        // With the chain key the row can be made consistent with itself; only the signed progress hash tells.
        var hash = rewrite == "content" ? row.Hash : AuditChain.Hash(row.PreviousHash, forged, TestKeyRings.ChainKeys.Active);
        await AsSuperuserAsync(Bypass + $"UPDATE audit.events SET patient_id = 'pat-innocent', resource_id = 'pat-innocent', hash = '{hash}' " +
                               $"WHERE clinic_id = '{clinic}' AND sequence = 10");

        var (exit, output) = await VerifyCommandAsync("--clinic", clinic, "--resume");

        Assert.Equal(1, exit);
        Assert.Contains($"{clinic}: BROKEN at sequence 10 after 0 intact record(s) after the verify progress at sequence 10: ", output, StringComparison.Ordinal);
        Assert.Contains(rewrite == "content" ? "its hash does not match its content" : "differs from the signed verify progress record", output, StringComparison.Ordinal);
    }

    private AuditVerifyProgressFiles Progress() => new(_checkpoints, TestKeyRings.ChainKeys);

    private static double RowsPerSecond(string line) => double.Parse(RateOf().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"s, (\d+) rows/s\)")]
    private static partial Regex RateOf();

    private async Task<(int Exit, string Output)> VerifyCommandAsync(params string[] arguments)
    {
        using var stdout = new StringWriter();
        var exit = await SiloCommandLine.InvokeAsync(
            ["audit", "verify", .. arguments, "--Postgres:ConnectionString", fixture.Database.App, "--Audit:ChainKeyFile", TestKeyRings.ChainRingFile,
                "--Audit:CheckpointDirectory", _checkpoints], stdout, TextWriter.Null);
        return (exit, stdout.ToString());
    }

    private async Task<string> SeedAsync(int count, string? clinicId = null)
    {
        var clinic = clinicId ?? TestData.NewId("aud");
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var events = Enumerable.Range(0, count).Select(i => new AuditEvent(
            Guid.CreateVersion7(), DateTimeOffset.UtcNow, clinic, AuditAction.Read, AuditOutcome.Success,
            new AuditActor("tester", "clinician", "127.0.0.1", "tests"), $"pat-{i}", "Patient", $"pat-{i}", "GetPatient", 200,
            "TREAT", null, null, null)).ToList();
        Assert.Equal(count, (await new PostgresAuditStore(dataSource, TestKeyRings.ChainKeys).AppendBatchAsync(events)).Count);
        return clinic;
    }

    private async Task<AuditRecord> ReadRowAsync(string clinic, long sequence)
    {
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.App);
        var rows = await new PostgresAuditStore(dataSource, TestKeyRings.ChainKeys).QueryAsync(clinic, new AuditQuery(null, null, null, null, 0, 1000));
        return rows.Single(r => r.Sequence == sequence);
    }

    private async Task AsSuperuserAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.Superuser);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
