using System.Net;
using ClinicCluster.Api.Commands;
using ClinicCluster.ServiceDefaults.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace ClinicCluster.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class DevTokenCommandTests(ApiFixture fixture)
{
    [Fact]
    public async Task Without_a_signing_key_it_refuses_with_exit_code_2()
    {
        var (code, output, error) = await RunAsync(["--clinic", "*", "--role", "admin"], Configuration(key: null), "Development");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("Configuration error: ", error, StringComparison.Ordinal);
        Assert.Contains("Auth:DevSigningKey", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_too_short_signing_key_it_refuses_with_exit_code_2()
    {
        var (code, output, error) = await RunAsync(["--clinic", "*", "--role", "admin"], Configuration("too-short"), "Development");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Outside_development_it_refuses_with_exit_code_2(string environment)
    {
        var (code, output, error) = await RunAsync(["--clinic", "*", "--role", "admin"], Configuration(ApiFixture.SigningKey), environment);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.NotEmpty(error);
    }

    // Usage errors were exit code 2 before the command host (issue 22): now 64, apart from configuration errors.
    [Theory]
    [InlineData("--role", "admin")]
    [InlineData("--clinic", "*")]
    [InlineData("--clinic", "*", "--role", "superuser")]
    [InlineData("--clinic")]
    [InlineData("--grant", "no-role")]
    [InlineData("--clinic", "*", "--role", "admin", "--bogus")]
    [InlineData("--clinic", "*", "--role", "admin", "stray")]
    public async Task Incomplete_arguments_print_usage_with_exit_code_64(params string[] args)
    {
        var (code, output, error) = await RunAsync(args, Configuration(ApiFixture.SigningKey), "Development");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("usage: ", error, StringComparison.Ordinal);
        Assert.Contains(" dev-token ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_exits_0_without_a_signing_key()
    {
        var (code, output, _) = await RunAsync(["--help"], Configuration(key: null), "Production");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("--grant <clinic:role>", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grant_per_clinic_prints_a_token()
    {
        var (code, output, error) = await RunAsync(["--grant", "c1:frontdesk", "--grant", "c2:admin"], Configuration(ApiFixture.SigningKey), "Development");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Equal(3, output.Trim().Split('.').Length);
    }

    [Fact]
    public async Task With_a_key_in_development_it_prints_a_token_the_api_accepts()
    {
        var clinic = await fixture.CreateClinicAsync();
        var (code, output, error) = await RunAsync(
            ["--clinic", clinic.Id, "--role", "frontdesk", "--subject", "alice"], Configuration(ApiFixture.SigningKey), "Development");

        Assert.Equal(0, code);
        Assert.Empty(error);
        var token = output.Trim();
        Assert.Equal(3, token.Split('.').Length);

        using var allowed = await fixture.Api.GetAsync($"{clinic.Path}/patients?name=alex", token);
        await allowed.ExpectAsync(HttpStatusCode.OK);

        // The printed token carries exactly what was asked for: front desk, this clinic only.
        using var manage = await fixture.Api.PutAsync($"{clinic.Path}/providers/{clinic.ProviderId}", token, TestData.ProviderBody());
        await manage.ExpectProblemAsync(HttpStatusCode.Forbidden);
        var other = await fixture.CreateClinicAsync();
        using var foreign = await fixture.Api.GetAsync(other.Path, token);
        await foreign.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_token_for_several_clinics_and_roles_works_in_each()
    {
        var first = await fixture.CreateClinicAsync();
        var second = await fixture.CreateClinicAsync();
        var (code, output, _) = await RunAsync(
            ["--clinic", first.Id, "--clinic", second.Id, "--role", "auditor", "--role", "clinician"], Configuration(ApiFixture.SigningKey), "Development");

        Assert.Equal(0, code);
        var token = output.Trim();
        using var a = await fixture.Api.GetAsync($"{first.Path}/patients?name=alex", token);
        await a.ExpectAsync(HttpStatusCode.OK);
        using var b = await fixture.Api.GetAsync(second.Path, token);
        await b.ExpectAsync(HttpStatusCode.OK);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, IConfiguration configuration, string environment)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var streams = new CommandOutput(output, error);
        var root = ApiCommandLine.Create(_ => throw new InvalidOperationException("not a command"), _ => (configuration, new TestEnvironment(environment)), streams);
        var code = await CommandHost.InvokeAsync(root, [DevTokenCommand.Name, .. args], streams);
        return (code, output.ToString(), error.ToString());
    }

    private static IConfiguration Configuration(string? key) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Auth:Audience"] = ApiFixture.Audience,
                ["Auth:DevSigningKey"] = key,
            })
            .Build();

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "ClinicCluster.Api";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
