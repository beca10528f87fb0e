using System.Text;
using System.Text.Json;
using ClinicCluster.Api.Audit;
using ClinicCluster.Audit;
using ClinicCluster.Common;
using ClinicCluster.Patients;

namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// The onboarding import (<c>POST /api/clinics/{clinicId}/patients/import</c>, decision 0030): NDJSON,
/// one patient's demographics per line, as the registration body. Lines are registered a bounded
/// batch at a time through <see cref="IPatientImportGrain"/> (idempotent per MRN), each created
/// patient gets its own audit event before the summary is answered, and a bad line is reported by
/// its number and the rule it broke, never by its content. A failure stops the import after the
/// batch with the line to resume from; re-sending the file from there (or whole) creates nothing twice.
/// </summary>
public sealed partial class PatientImport(
    IGrainFactory grains, IAuditTrail trail, AuditEventFactory events, JsonSerializerOptions json, ILogger logger)
{
    public const long MaxBodyBytes = 64L * 1024 * 1024;
    public const int MaxLines = 200_000;
    public const int MaxLineChars = 16 * 1024;
    public const int MaxReportedErrors = 100;

    /// <summary>Lines registered concurrently: enough to keep the cluster busy, few enough to stop soon after a failure.</summary>
    private const int BatchSize = 64;

    private const int ProgressEvery = 10_000;

    public static readonly string[] MediaTypes = ["application/x-ndjson", "application/ndjson"];

    public async Task<PatientImportSummary> RunAsync(HttpContext http, string clinicId, int firstLine)
    {
        // Each new patient's event reads as a registration's; the route's own event covers the request.
        var declaration = new AuditDeclaration(AuditAction.Create, "Patient");
        var tally = new PatientImportTally(firstLine);
        using var reader = new StreamReader(http.Request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true), false, 64 * 1024);
        var batch = new List<(int Line, PatientDemographics Patient)>(BatchSize);
        var number = firstLine - 1;
        try
        {
            while (await reader.ReadLineAsync(http.RequestAborted) is { } text)
            {
                number++;
                if (number - firstLine >= MaxLines)
                {
                    return tally.Stop(number, "too-many-lines");
                }

                tally.Lines++;
                if (Parse(text, number, tally) is { } patient)
                {
                    batch.Add((number, patient));
                }

                if (batch.Count == BatchSize)
                {
                    if (await RegisterAsync(http, declaration, clinicId, batch, tally) is { } failedAt)
                    {
                        return tally.Stop(failedAt, "cluster-or-storage-unavailable");
                    }

                    batch.Clear();
                }

                if (tally.Lines % ProgressEvery == 0)
                {
                    LogProgress(logger, clinicId, tally.Lines, tally.Created, tally.AlreadyRegistered, tally.Invalid);
                }
            }
        }
        catch (DecoderFallbackException)
        {
            // Lines before the bad bytes are processed below; the rest of the body is unreadable.
            if (await RegisterAsync(http, declaration, clinicId, batch, tally) is { } failedAt)
            {
                return tally.Stop(failedAt, "cluster-or-storage-unavailable");
            }

            return tally.Stop(number + 1, "not-utf-8");
        }

        if (await RegisterAsync(http, declaration, clinicId, batch, tally) is { } lastFailedAt)
        {
            return tally.Stop(lastFailedAt, "cluster-or-storage-unavailable");
        }

        LogProgress(logger, clinicId, tally.Lines, tally.Created, tally.AlreadyRegistered, tally.Invalid);
        return tally.Done();
    }

    /// <summary>One line's demographics, or null (blank, or an error recorded by number).</summary>
    private PatientDemographics? Parse(string text, int number, PatientImportTally tally)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            tally.Lines--;
            return null;
        }

        if (text.Length > MaxLineChars)
        {
            tally.Fail(number, "line-too-long", null);
            return null;
        }

        try
        {
            if (JsonSerializer.Deserialize<PatientDemographics>(text, json) is { } patient)
            {
                return patient;
            }
        }
        catch (JsonException)
        {
            // The serializer's message may quote the input: only the line number leaves.
        }

        tally.Fail(number, "malformed-line", null);
        return null;
    }

    /// <summary>Registers a batch; the first line that could not be tried to the end, or null.</summary>
    private async Task<int?> RegisterAsync(HttpContext http, AuditDeclaration declaration, string clinicId,
        List<(int Line, PatientDemographics Patient)> batch, PatientImportTally tally)
    {
        var importer = grains.GetGrain<IPatientImportGrain>(clinicId);
        var outcomes = await Task.WhenAll(batch.Select(async item =>
        {
            try
            {
                return (item.Line, Result: (Result<ImportedPatient>?)await importer.ImportAsync(item.Patient), Failed: false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogLineFailed(logger, clinicId, item.Line, exception.GetType().Name);
                return (item.Line, Result: null, Failed: true);
            }
        }));

        var audits = new List<Task>();
        foreach (var (line, result, failed) in outcomes.OrderBy(o => o.Line))
        {
            switch (result)
            {
                case null when failed:
                    continue;
                case { IsSuccess: false, Error: { } error }:
                    tally.Fail(line, error.Code, error.Fields);
                    break;
                case { Value.Created: { } created }:
                    // Durable before the summary answers, as a registration's event is before its 201;
                    // enqueued together, so the audit group commit can take them in one batch.
                    audits.Add(trail.RecordAsync(events.Create(http, declaration, AuditOutcome.Success, StatusCodes.Status201Created, created), http.RequestAborted));
                    tally.Created++;
                    break;
                default:
                    tally.AlreadyRegistered++;
                    break;
            }
        }

        try
        {
            await Task.WhenAll(audits);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new AuditUnavailableException(exception);
        }

        return outcomes.Where(o => o.Failed).Select(o => (int?)o.Line).Min();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Patient import for clinic {ClinicId}: {Lines} lines, {Created} created, {Existing} already registered, {Invalid} invalid")]
    private static partial void LogProgress(ILogger logger, string clinicId, int lines, int created, int existing, int invalid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Patient import for clinic {ClinicId} could not register line {Line} ({ExceptionType})")]
    private static partial void LogLineFailed(ILogger logger, string clinicId, int line, string exceptionType);
}
