using ClinicCluster.Audit;
using ClinicCluster.Security;

namespace ClinicCluster.Api.Audit;

/// <summary>
/// Emits exactly one audit event per request to a declared endpoint, whatever the outcome, and
/// before the response is written: if the event cannot be enqueued, the caller gets 503 and no PHI.
/// Runs outside every other endpoint filter so a 404 from the clinic scope is audited too.
/// </summary>
public sealed partial class AuditFilter(IAuditTrail trail, AuditEventFactory events, ILogger<AuditFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<AuditDeclaration>() is not { } declaration)
        {
            return await next(context);
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception exception)
        {
            // The exception handler answers; the attempt is still recorded, a tampered PHI value as a security event.
            var outcome = PhiIntegrityException.Find(exception) is null ? AuditOutcome.Error : AuditOutcome.IntegrityFailure;
            await RecordAsync(http, declaration, StatusCodes.Status500InternalServerError, value: null, outcome);
            throw;
        }

        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        await RecordAsync(http, declaration, status, (result as IValueHttpResult)?.Value);
        return result;
    }

    private async Task RecordAsync(HttpContext http, AuditDeclaration declaration, int status, object? value, AuditOutcome? outcome = null)
    {
        outcome ??= status < 400 ? AuditOutcome.Success : AuditOutcome.Error;
        var auditEvent = events.Create(http, declaration, outcome.Value, status, value);
        try
        {
            await trail.RecordAsync(auditEvent, http.RequestAborted);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogAuditFailed(logger, exception.GetType().Name, auditEvent.EventId);
            throw new AuditUnavailableException(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not enqueue audit event {EventId} ({ExceptionType}); the request is refused")]
    private static partial void LogAuditFailed(ILogger logger, string exceptionType, Guid eventId);
}
