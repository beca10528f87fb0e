using System.Collections.Concurrent;
using System.Text.Json;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// A validating proxy between a test's HttpClient and the API: every response passing through is
/// checked against the API's own served OpenAPI document (fetched once, through the same pipeline)
/// and each difference is kept in <see cref="Mismatches"/>. The response reaches the caller unchanged.
/// </summary>
public sealed class ValidatingProxyHandler : DelegatingHandler
{
    public const string DocumentPath = "/openapi/v1.json";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private OpenApiResponseValidator? _validator;

    public ConcurrentQueue<OpenApiMismatch> Mismatches { get; } = new();

    /// <summary>How many responses were checked (the document's own fetch is not counted).</summary>
    public int Checked => _checked;

    private int _checked;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var validator = await ValidatorAsync(request.RequestUri!, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);

        // Buffers the body, so the caller still reads it after this.
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString;
        foreach (var mismatch in validator.Validate(request.Method, path, (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType, body))
        {
            Mismatches.Enqueue(mismatch);
        }

        Interlocked.Increment(ref _checked);
        return response;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<OpenApiResponseValidator> ValidatorAsync(Uri requestUri, CancellationToken cancellationToken)
    {
        if (_validator is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_validator is null)
            {
                var uri = requestUri.IsAbsoluteUri ? new Uri(requestUri, DocumentPath) : new Uri(DocumentPath, UriKind.Relative);
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                using var response = await base.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                _validator = new OpenApiResponseValidator(document.RootElement);
            }

            return _validator;
        }
        finally
        {
            _gate.Release();
        }
    }
}
