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

    /// <summary>Requires a non-blank text of at most <paramref name="maxLength"/> characters.</summary>
    public ValidationErrors Text(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "Required.");
        }

        return When(value.Length > maxLength, field, $"At most {maxLength} characters.");
    }

    /// <summary>Allows null, otherwise at most <paramref name="maxLength"/> characters.</summary>
    public ValidationErrors OptionalText(string? value, string field, int maxLength) =>
        When(value is not null && value.Length > maxLength, field, $"At most {maxLength} characters.");

    public ValidationErrors Range(int value, string field, int min, int max) =>
        When(value < min || value > max, field, $"Must be between {min} and {max}.");

    public Error? ToError() =>
        IsEmpty ? null : Error.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
