using ClinicCluster.Common;

namespace ClinicCluster.Api.Problems;

/// <summary>Turns grain refusals into RFC 7807 problem details with the matching status.</summary>
public static class ApiResults
{
    public const string ProblemTypeBase = "https://clinic-cluster.dev/problems/";

    public static IResult Problem(Error error) => error.Kind switch
    {
        ErrorKind.Validation => TypedResults.ValidationProblem(
            error.Fields ?? new Dictionary<string, string[]>(),
            detail: error.Message,
            type: ProblemTypeBase + error.Code,
            extensions: Extensions(error)),
        _ => TypedResults.Problem(
            detail: error.Message,
            statusCode: StatusOf(error.Kind),
            title: TitleOf(error.Kind),
            type: ProblemTypeBase + error.Code,
            extensions: Extensions(error)),
    };

    /// <summary>The value through <paramref name="onSuccess"/>, or the refusal as a problem.</summary>
    public static IResult From<T>(Result<T> result, Func<T, IResult> onSuccess) =>
        result.IsSuccess ? onSuccess(result.Value!) : Problem(result.Error!);

    public static IResult NotFound(string what) => Problem(Error.NotFound(what));

    public static IResult Invalid(string field, string message) => Problem(Error.Validation(field, message));

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict or ErrorKind.InvalidTransition => StatusCodes.Status409Conflict,
        ErrorKind.IdempotencyMismatch => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };

    private static string TitleOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotFound => "Not found",
        ErrorKind.Conflict => "Conflict",
        ErrorKind.InvalidTransition => "Invalid status transition",
        ErrorKind.IdempotencyMismatch => "Idempotency key reused",
        _ => "Bad request",
    };

    private static Dictionary<string, object?> Extensions(Error error) => new() { ["code"] = error.Code };
}
