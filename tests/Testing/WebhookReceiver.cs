using System.Globalization;
using System.Text.Json;
using ClinicCluster.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicCluster.Testing;

/// <summary>One delivery the receiver accepted (answered 2xx to), in arrival order.</summary>
public sealed record ReceivedWebhook(long EventId, string Type, string AppointmentId, int Signatures);

/// <summary>
/// A real webhook receiver (Kestrel on loopback) that misbehaves on purpose: a seeded share of calls
/// fail with 500, another share hang past the sender's timeout, the rest are checked (signature over
/// timestamp.body with any of <see cref="Secrets"/>) and recorded. <see cref="Dead"/> makes it
/// answer 503 to everything.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Random _random;
    private readonly double _failRate;
    private readonly double _hangRate;
    private readonly TimeSpan _hang;
    private readonly Lock _gate = new();
    private readonly List<ReceivedWebhook> _received = [];

    private WebhookReceiver(WebApplication app, int seed, double failRate, double hangRate, TimeSpan hang)
    {
        _app = app;
        _random = new Random(seed);
        _failRate = failRate;
        _hangRate = hangRate;
        _hang = hang;
    }

    /// <summary>The URL to subscribe (http on 127.0.0.1: the silo must allow both).</summary>
    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    /// <summary>The secrets a signature may match (set after the subscription issues them).</summary>
    public IReadOnlyList<string> Secrets { get; set; } = [];

    public bool Dead { get; set; }

    /// <summary>How long every call waits before it is judged (a slow receiver: deliveries stay in flight).</summary>
    public TimeSpan Delay { get; set; }

    private int _calls;
    private int _failed;
    private int _hung;
    private int _badSignatures;

    public int Calls => Volatile.Read(ref _calls);

    public int Failed => Volatile.Read(ref _failed);

    public int Hung => Volatile.Read(ref _hung);

    public int BadSignatures => Volatile.Read(ref _badSignatures);

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_gate)
            {
                return _received.ToList();
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(int seed = 24, double failRate = 0, double hangRate = 0, TimeSpan? hang = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, seed, failRate, hangRate, hang ?? TimeSpan.FromSeconds(3));
        app.MapPost("/hook", (Delegate)receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpContext http)
    {
        Interlocked.Increment(ref _calls);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, CancellationToken.None);
        }

        double roll;
        lock (_gate)
        {
            roll = _random.NextDouble();
        }

        if (Dead || roll < _failRate)
        {
            Interlocked.Increment(ref _failed);
            return Results.StatusCode(Dead ? 503 : 500);
        }

        if (roll < _failRate + _hangRate)
        {
            Interlocked.Increment(ref _hung);
            await Task.Delay(_hang, CancellationToken.None);
            return Results.Ok();
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var timestamp = http.Request.Headers[WebhookSignature.TimestampHeader].ToString();
        var signature = http.Request.Headers[WebhookSignature.SignatureHeader].ToString();
        if (!Secrets.Any(secret => WebhookSignature.Verify(secret, timestamp, body, signature)))
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.StatusCode(401);
        }

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var id = root.GetProperty("id").GetString()!;
        if (http.Request.Headers[WebhookSignature.IdHeader] != id)
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.StatusCode(400);
        }

        // The subject delivery orders by: the appointment, or the offer of a waitlist event.
        var data = root.GetProperty("data");
        var subject = data.TryGetProperty("appointmentId", out var appointment) ? appointment : data.GetProperty("offerId");
        var received = new ReceivedWebhook(long.Parse(id["evt-".Length..], CultureInfo.InvariantCulture), root.GetProperty("type").GetString()!,
            subject.GetString()!, signature.Split(' ').Length);
        lock (_gate)
        {
            _received.Add(received);
        }

        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
