using ClinicCluster.Common;

namespace ClinicCluster;

/// <summary>Collects field-level messages, keyed by the JSON path of the field (camelCase).</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
        return this;
    }

    /// <summary>Adds <paramref name="message"/> when <paramref name="failed"/> is true.</summary>
    public ValidationErrors When(bool failed, string field, string message) => failed ? Add(field, message) : this;

    /// <summary>Requires a non-blank text that keeps <see cref="FreeText"/> (single line, at most <paramref name="maxLength"/>).</summary>
    public ValidationErrors Text(string? value, string field, int maxLength, bool multiline = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "Required.");
        }

        return FreeText.Problem(value, maxLength, multiline) is { } problem ? Add(field, problem) : this;
    }

    /// <summary>Allows null, otherwise the text must keep <see cref="FreeText"/>.</summary>
    public ValidationErrors OptionalText(string? value, string field, int maxLength, bool multiline = false) =>
        value is not null && FreeText.Problem(value, maxLength, multiline) is { } problem ? Add(field, problem) : this;

    /// <summary>Requires a value that keeps <see cref="Identifiers"/>' shape.</summary>
    public ValidationErrors Id(string? value, string field, string message) => When(!Identifiers.IsValid(value), field, message);

    public ValidationErrors Range(int value, string field, int min, int max) =>
        When(value < min || value > max, field, $"Must be between {min} and {max}.");

    public Error? ToError() =>
        IsEmpty ? null : Error.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
