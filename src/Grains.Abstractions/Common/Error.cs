namespace ClinicCluster.Common;

/// <summary>
/// Why a command was refused. Messages never carry PHI: they name fields and rules, not values.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.Error")]
public sealed record Error(
    [property: Id(0)] ErrorKind Kind,
    [property: Id(1)] string Code,
    [property: Id(2)] string Message,
    [property: Id(3)] IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static Error NotFound(string what) => new(ErrorKind.NotFound, "not-found", $"{what} was not found.");

    public static Error Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);

    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "validation", "One or more fields are invalid.", fields);

    public static Error Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>The code of a conditional command whose expected version is no longer current (FHIR: 412).</summary>
    public const string StaleVersionCode = "version-mismatch";

    public static Error StaleVersion(string what) =>
        new(ErrorKind.Conflict, StaleVersionCode, $"The {what} is no longer at the version the request names; read it and try again.");

    public static Error Transition(string from, string action) =>
        new(ErrorKind.InvalidTransition, "invalid-transition", $"An appointment that is '{from}' cannot be {action}.");
}
