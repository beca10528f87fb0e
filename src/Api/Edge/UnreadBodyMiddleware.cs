using Microsoft.AspNetCore.Http.Features;

namespace ClinicCluster.Api.Edge;

/// <summary>
/// Every HTTP/1.x connection either stays usable or is closed explicitly. When a response starts
/// before the request body has fully arrived (an early 401, 404, 405, 415, 429 or a handler that
/// takes no body), Kestrel drains the rest after the response and, if the rest breaks the route's
/// body limit or its drain timeout, closes the connection without a word: the client's next
/// request on it then fails although it did nothing wrong. So such a response says
/// <c>Connection: close</c>, and the client opens a new connection instead.
/// </summary>
public sealed class UnreadBodyMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true
            && (HttpProtocol.IsHttp11(http.Request.Protocol) || HttpProtocol.IsHttp10(http.Request.Protocol)))
        {
            http.Response.OnStarting(static state =>
            {
                var context = (HttpContext)state;
                if (!BodyHasArrived(context.Request))
                {
                    context.Response.Headers.Connection = "close";
                }

                return Task.CompletedTask;
            }, http);
        }

        return next(http);
    }

    /// <summary>
    /// True when the whole body is already in the server's hands (read by the handler, or buffered
    /// and within the limit), so draining it costs nothing. Peeks without consuming.
    /// </summary>
    public static bool BodyHasArrived(HttpRequest request)
    {
        try
        {
            if (!request.BodyReader.TryRead(out var result))
            {
                return false;
            }

            request.BodyReader.AdvanceTo(result.Buffer.Start);
            return result.IsCompleted;
        }
        catch (BadHttpRequestException)
        {
            // The declared or received length is over the route's limit: the drain would fail.
            return false;
        }
        catch (InvalidOperationException)
        {
            // The reader was completed or is in use; nothing is known about the rest.
            return false;
        }
    }
}
