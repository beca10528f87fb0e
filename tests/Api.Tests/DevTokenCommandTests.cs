using System.Net;
using ClinicCluster.Api.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace ClinicCluster.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class DevTokenCommandTests(ApiFixture fixture)
{
    [Fact]
    public void Without_a_signing_key_it_refuses_with_exit_code_2()
    {
        var (code, output, error) = Run(["--clinic", "*", "--role", "admin"], Configuration(key: null), "Development");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("Auth:DevSigningKey", error, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_too_short_signing_key_it_refuses_with_exit_code_2()
    {
        var (code, output, error) = Run(["--clinic", "*", "--role", "admin"], Configuration("too-short"), "Development");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_development_it_refuses_with_exit_code_2(string environment)
    {
        var (code, output, error) = Run(["--clinic", "*", "--role", "admin"], Configuration(ApiFixture.SigningKey), environment);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("--role", "admin")]
    [InlineData("--clinic", "*")]
    [InlineData("--clinic", "*", "--role", "superuser")]
    [InlineData("--clinic")]
    public void Incomplete_arguments_print_usage_with_exit_code_2(params string[] args)
    {
        var (code, output, error) = Run(args, Configuration(ApiFixture.SigningKey), "Development");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("usage: dev-token", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_key_in_development_it_prints_a_token_the_api_accepts()
    {
        var clinic = await fixture.CreateClinicAsync();
        var (code, output, error) = Run(
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
        var (code, output, _) = Run(
            ["--clinic", first.Id, "--clinic", second.Id, "--role", "auditor", "--role", "clinician"], Configuration(ApiFixture.SigningKey), "Development");

        Assert.Equal(0, code);
        var token = output.Trim();
        using var a = await fixture.Api.GetAsync($"{first.Path}/patients?name=alex", token);
        await a.ExpectAsync(HttpStatusCode.OK);
        using var b = await fixture.Api.GetAsync(second.Path, token);
        await b.ExpectAsync(HttpStatusCode.OK);
    }

    private static (int Code, string Output, string Error) Run(string[] args, IConfiguration configuration, string environment)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = DevTokenCommand.Run(args, configuration, new TestEnvironment(environment), output, error);
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
