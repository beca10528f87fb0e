using ClinicCluster.Observability.Tests.Infrastructure;

namespace ClinicCluster.Observability.Tests;

/// <summary>The Orleans Dashboard in a real browser: nothing without an operator's credentials, the silos with them.</summary>
[Collection(ObservabilityCollection.Name)]
public sealed class DashboardTests(ObservabilityFixture fixture)
{
    [Fact]
    public async Task Chromium_sees_nothing_without_credentials_and_the_silos_with_an_operators()
    {
        var folder = Path.Combine(RepoPaths.Artifacts, "dashboard");
        Directory.CreateDirectory(folder);
        var silo = $"127.0.0.1:{fixture.SiloPort}";

        // Chromium answers the 401's Basic challenge with a credentials prompt, which a headless
        // browser cannot fill in: nothing of the dashboard is rendered.
        var refused = await HeadlessChromium.RenderAsync(
            new Uri(fixture.SiloManagement, "/dashboard/"), Path.Combine(folder, "anonymous.png"));
        Assert.DoesNotContain(silo, refused, StringComparison.Ordinal);
        Assert.DoesNotContain("index.min.js", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("Orleans Dashboard", refused, StringComparison.Ordinal);

        var withCredentials = new UriBuilder(fixture.SiloManagement)
        {
            UserName = ObservabilityFixture.OperatorName,
            Password = fixture.OperatorPassword,
            Path = "/dashboard/",
            Fragment = "/silos",
        }.Uri;
        var shown = await HeadlessChromium.RenderAsync(withCredentials, Path.Combine(folder, "operator.png"));
        Assert.Contains(silo, shown, StringComparison.Ordinal);
        Assert.Contains("Active", shown, StringComparison.Ordinal);
    }
}
