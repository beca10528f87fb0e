using ClinicCluster.Api.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Edge;

/// <summary>
/// Per-route request limits: the body limit from the route's metadata (413 here when the declared
/// length exceeds it, or raised by the server while a chunked body is read), and header count and
/// size (431) checked here. Routing has run, so an unmatched path gets the default limit.
/// </summary>
public sealed class RequestLimitsMiddleware(RequestDelegate next, IOptions<RequestLimitOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var limits = options.Value;
        var endpoint = http.GetEndpoint();
        var bodyLimit = endpoint?.Metadata.GetMetadata<BodyLimit>()?.Bytes
            ?? (endpoint?.Metadata.GetMetadata<LargeBody>() is not null ? limits.MaxLargeBodyBytes : limits.MaxBodyBytes);
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
        {
            // Enforced by the server while the body is read: the 413 reaches the client as a problem
            // (see AddApiDefaults), and the connection stays usable because the body was consumed.
            body.MaxRequestBodySize = bodyLimit;
        }

        if (http.Request.ContentLength > bodyLimit)
        {
            // Refused before authentication, routing answers and handlers, and the connection is
            // closed: draining the body would fail the limit and drop the connection silently.
            http.Response.Headers.Connection = "close";
            await WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "Request body too large", "body-too-large",
                "The request body is larger than this route accepts.");
            return;
        }

        var count = 0;
        long bytes = 0;
        foreach (var (name, values) in http.Request.Headers)
        {
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + (value?.Length ?? 0);
            }
        }

        if (count > limits.MaxHeaderCount || bytes > limits.MaxHeaderBytes)
        {
            await WriteAsync(http, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large", "headers-too-large",
                $"At most {limits.MaxHeaderCount} headers and {limits.MaxHeaderBytes} bytes of headers.");
            return;
        }

        await next(http);
    }

    private async Task WriteAsync(HttpContext http, int status, string title, string code, string detail)
    {
        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Type = ApiResults.ProblemTypeBase + code, Detail = detail };
        problem.Extensions["code"] = code;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
