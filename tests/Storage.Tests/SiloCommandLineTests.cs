using ClinicCluster.ServiceDefaults.Commands;
using ClinicCluster.Silo.Commands;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// The silo's command line (issue 22): help for the root and every command, usage errors with
/// exit code 64, and one test per code of the table (docs/operations/commands.md) that needs no
/// database; 0 and 1 with a database are in AuditTamperTests and EncryptionRotationTests.
/// </summary>
public sealed class SiloCommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("migrate", "--help")]
    [InlineData("audit", "--help")]
    [InlineData("audit", "verify", "--help")]
    [InlineData("audit", "retention", "--help")]
    [InlineData("reconcile", "--help")]
    [InlineData("encryption", "--help")]
    [InlineData("encryption", "rotate", "--help")]
    [InlineData("encryption", "reindex", "--help")]
    public async Task Help_exits_0_and_describes_the_command(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains(args.Length == 1 ? "ClinicCluster.Silo" : $"ClinicCluster.Silo {string.Join(" ", args[..^1])}", output, StringComparison.Ordinal);
        // Undeclared tokens are settings, not "arguments passed to the application" as the library would say.
        Assert.DoesNotContain("Additional Arguments", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("passed to the application", output, StringComparison.Ordinal);
        Assert.Contains("[--Section:Key <value>...]", output, StringComparison.Ordinal);
        Assert.Contains("Settings:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("migrate", "--bogus")]
    [InlineData("migrate", "stray")]
    [InlineData("audit")]
    [InlineData("audit", "verify")]
    [InlineData("audit", "verify", "--clinic")]
    [InlineData("audit", "retention", "--archive-directory", "/tmp/archive")]
    [InlineData("audit", "retention", "--before", "last-year", "--archive-directory", "/tmp/archive")]
    [InlineData("audit", "retention", "--before", "2026-02-01", "--archive-directory", "/tmp/archive", "--months-ahead", "0")]
    [InlineData("audit", "retention", "--before", "2026-02-01", "--archive-directory", "/tmp/archive", "--months-ahead", "121")]
    [InlineData("reconcile")]
    [InlineData("encryption", "rotate", "--batch-size", "0")]
    [InlineData("encryption", "rotate", "--batch-size", "many")]
    [InlineData("encryption", "reindex", "--batch-size", "1001")]
    [InlineData("encryption", "rotate", "--Postgres:ConnectionString")]
    public async Task A_bad_command_line_exits_64_with_a_usage_line(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        var lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("usage: ClinicCluster.Silo", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_setting_exits_2_with_one_configuration_error_line()
    {
        var (code, output, error) = await RunAsync(
            ["encryption", "rotate", "--Postgres:ConnectionString", "Host=127.0.0.1;Username=app;Password=pw-never-printed"]);

        Assert.Equal(ExitCodes.ConfigurationError, code);
        Assert.Empty(output);
        Assert.Equal("Configuration error: Encryption:KeyRingFile is required.", error.Trim());
    }

    [Fact]
    public async Task Retention_without_months_ahead_parses_and_asks_for_the_chain_key()
    {
        // --months-ahead omitted takes its default (3); it was once read as 0 and refused as usage (64).
        var (code, output, error) = await RunAsync(
            ["audit", "retention", "--before", "2026-02-01", "--archive-directory", "/tmp/archive", "--Postgres:ConnectionString=Host=127.0.0.1"]);

        Assert.Equal(ExitCodes.ConfigurationError, code);
        Assert.Empty(output);
        Assert.Equal("Configuration error: Audit:ChainKeyFile is required to sign the retention cuts.", error.Trim());
    }

    [Fact]
    public async Task A_key_ring_that_does_not_exist_is_a_configuration_error()
    {
        var (code, _, error) = await RunAsync(
            ["audit", "verify", "--all", "--Postgres:ConnectionString=Host=127.0.0.1", "--Audit:ChainKeyFile", "/nonexistent/chain.json"]);

        Assert.Equal(ExitCodes.ConfigurationError, code);
        Assert.StartsWith("Configuration error: ", error, StringComparison.Ordinal);
        Assert.Contains("Audit:ChainKeyFile", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_exits_69()
    {
        // Port 1: nothing listens there, so the connection is refused at once.
        var (code, _, error) = await RunAsync(
            ["migrate", "--Postgres:MigrationConnectionString", "Host=127.0.0.1;Port=1;Username=owner;Password=pw-never-printed;Database=clinic;Timeout=5"]);

        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.StartsWith("Cannot connect to 127.0.0.1:1/clinic as owner", error, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-never-printed", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await SiloCommandLine.InvokeAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
