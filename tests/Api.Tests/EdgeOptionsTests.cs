using ClinicCluster.Api.Edge;
using ClinicCluster.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// The edge's settings are checked when the host is built, before it serves anything, and a
/// mistake is the one configuration line naming the setting (what Program prints before exit code 2).
/// </summary>
public sealed class EdgeOptionsTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Null(Validate([]));

    [Theory]
    [InlineData("Cors:AllowedOrigins:0", "*", "Cors:AllowedOrigins")]
    [InlineData("Cors:AllowedOrigins:0", "https://app.example.org/path", "Cors:AllowedOrigins")]
    [InlineData("Proxy:KnownNetworks:0", "10.0.0.0/33", "Proxy:KnownNetworks")]
    [InlineData("RateLimits:PerCallerPermits", "0", "PerCallerPermits")]
    [InlineData("RequestLimits:MaxHeaderCount", "0", "MaxHeaderCount")]
    [InlineData("Https:HstsMaxAge", "00:00:01", "HstsMaxAge")]
    public void A_bad_edge_setting_stops_the_host_with_one_line_naming_it(string key, string value, string named)
    {
        var line = Validate(new() { [key] = value });

        Assert.NotNull(line);
        Assert.StartsWith("Configuration error: ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    /// <summary>The configuration line for <paramref name="settings"/>, or null when the edge accepts them.</summary>
    private static string? Validate(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEdgeLimits();
        using var app = builder.Build();
        try
        {
            ConfigurationError.ValidateNow(app.Services);
            return null;
        }
        catch (Exception exception) when (ConfigurationError.Describe(exception) is { } line)
        {
            return line;
        }
    }
}
