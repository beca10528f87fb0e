using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Webhooks;

/// <summary>
/// Sends one signed delivery. Its one HTTP client connects only to addresses the SSRF guard allows,
/// judged at connect time on the addresses it actually dials (DNS rebinding cannot slip a private
/// address in after registration), follows no redirects and gives up after Webhooks:DeliveryTimeout.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _clock;

    public WebhookSender(IOptions<WebhookOptions> options, WebhookUrlGuard guard, TimeProvider clock)
    {
        _options = options.Value;
        _clock = clock;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = _options.DeliveryTimeout,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var addresses = await WebhookUrlGuard.ResolveAsync(context.DnsEndPoint.Host, cancellationToken);
                if (guard.AddressRefusal(addresses) is { } refusal)
                {
                    throw new HttpRequestException($"Refused: the host resolves to a {refusal} address.");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Null when the receiver answered 2xx; otherwise why not (a status or an error kind, never a body).</summary>
    public async Task<string?> SendAsync(WebhookSubscriptionRow subscription, WebhookOutboxEntry entry)
    {
        var body = WebhookPayload.Body(subscription.ClinicId, entry);
        var now = _clock.GetUtcNow();
        var timestamp = WebhookSignature.Timestamp(now);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(WebhookSignature.IdHeader, WebhookPayload.EventId(entry.EventId));
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Header(subscription.SigningSecrets(now), timestamp, body));
        using var timeout = new CancellationTokenSource(_options.DeliveryTimeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : "HTTP " + (int)response.StatusCode;
        }
        catch (OperationCanceledException)
        {
            return "timeout";
        }
        catch (HttpRequestException exception)
        {
            // The guard's refusal arrives wrapped by the handler: find it in the chain.
            for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
            {
                if (inner.Message.StartsWith("Refused:", StringComparison.Ordinal))
                {
                    return inner.Message;
                }
            }

            return "connection failed (" + exception.HttpRequestError + ")";
        }
    }

    public void Dispose() => _http.Dispose();
}
