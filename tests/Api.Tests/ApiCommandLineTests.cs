using ClinicCluster.Api.Commands;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// The API's command line and the shared command host (issue 22): help, usage errors (64), and a
/// configuration error raised anywhere in a host (an options validation failure at start-up)
/// becoming the one "Configuration error:" line and exit code 2.
/// </summary>
public sealed class ApiCommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("dev-token", "--help")]
    public async Task Help_exits_0_without_starting_the_api(params string[] args)
    {
        var (code, output, error) = await RunAsync(args, _ => throw new InvalidOperationException("the API must not start"));

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Additional Arguments", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("--Section:Key <value>", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("dev-token", "--clinic", "*", "--role", "admin", "--Auth")]
    public async Task A_bad_command_line_exits_64(params string[] args)
    {
        var (code, _, error) = await RunAsync(args, _ => throw new InvalidOperationException("the API must not start"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("usage: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_command_runs_the_api_with_the_settings_given()
    {
        string[]? received = null;
        var (code, _, _) = await RunAsync(["--urls", "http://127.0.0.1:0", "--Auth:Audience=x"], args =>
        {
            received = args;
            return Task.FromResult(ExitCodes.Ok);
        });

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(["--urls", "http://127.0.0.1:0", "--Auth:Audience=x"], received!);
    }

    [Fact]
    public async Task An_options_failure_at_start_is_one_line_and_exit_code_2()
    {
        var (code, output, error) = await RunAsync([], _ => throw new AggregateException(
            new OptionsValidationException("Auth", typeof(object), ["Auth:ClockSkew must be between 00:00:00 and 00:05:00.", "second\nline"])));

        Assert.Equal(ExitCodes.ConfigurationError, code);
        Assert.Empty(output);
        Assert.Equal("Configuration error: Auth:ClockSkew must be between 00:00:00 and 00:05:00.; second line" + Environment.NewLine, error);
        Assert.Equal(error.TrimEnd(), ConfigurationError.Format(["Auth:ClockSkew must be between 00:00:00 and 00:05:00.", "second\nline"]));
    }

    [Fact]
    public async Task Any_other_failure_is_a_crash_with_its_stack_trace()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync([], _ => throw new InvalidOperationException("a bug")));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, Func<string[], Task<int>> runApi)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var streams = new CommandOutput(output, error);
        var configuration = new ConfigurationBuilder().Build();
        var root = ApiCommandLine.Create(runApi, _ => (configuration, null!), streams);
        var code = await CommandHost.InvokeAsync(root, args, streams);
        return (code, output.ToString(), error.ToString());
    }
}
