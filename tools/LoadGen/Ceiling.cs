using System.Net;

namespace ClinicCluster.LoadGen;

/// <summary>
/// The HTTP ceiling: a trivial Kestrel endpoint (GET / answers "ok") hosted in this process on a
/// free loopback port, loaded like the API. No application can answer faster on this machine.
/// </summary>
public static class Ceiling
{
    public static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/", () => "ok");
        await app.StartAsync();
        return app;
    }

    public static Uri Address(WebApplication app) => new(app.Urls.First());
}
