using ClinicCluster.Api.Telemetry;
using ClinicCluster.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ClinicCluster.Api.Problems;

/// <summary>
/// A stored PHI ciphertext failed authentication (tampering, a value swapped between records, or a
/// wrong key): a security event, not an ordinary fault. The caller gets problem <c>phi-integrity</c>
/// (500) with nothing that would tell an attacker which check failed; operators get one log line
/// naming the record and key id, a count for the alert, and the audit filter records the attempt
/// with outcome <c>integrity-failure</c>.
/// </summary>
public sealed partial class PhiIntegrityExceptionHandler(IProblemDetailsService problems, ApiMetrics metrics, ILogger<PhiIntegrityExceptionHandler> logger)
    : IExceptionHandler
{
    public const string Code = "phi-integrity";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (PhiIntegrityException.Find(exception) is not { } fault)
        {
            return false;
        }

        metrics.PhiIntegrityFailure(fault.Record);
        LogIntegrityFailure(logger, fault.Record, fault.RecordId, fault.Field, fault.KeyId);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "Stored data could not be read",
            Type = ApiResults.ProblemTypeBase + Code,
        };
        problem.Extensions["code"] = Code;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "PHI integrity failure: {Record} {RecordId} field {Field} under key {KeyId} did not authenticate (tampered, swapped or wrong key); answered phi-integrity")]
    private static partial void LogIntegrityFailure(ILogger logger, string record, string recordId, string field, string keyId);
}
