using System.Globalization;

namespace ClinicCluster.GrainMemory;

/// <summary><c>--name value</c> pairs; a missing one takes its default, a malformed one stops the run with its name.</summary>
internal sealed class ToolArguments(Dictionary<string, string> values)
{
    public static ToolArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return args.Length % 2 == 0 ? new ToolArguments(values) : throw new ArgumentException($"'{args[^1]}' has no value");
    }

    public int Int(string name, int byDefault, int min, int max)
    {
        var value = values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : byDefault;
        return value >= min && value <= max ? value : throw new ArgumentException($"--{name} must be {min}..{max}");
    }

    public string Text(string name, string? byDefault = null) =>
        values.TryGetValue(name, out var text) ? text : byDefault ?? throw new ArgumentException($"--{name} is required");

    public TimeSpan Time(string name, TimeSpan byDefault) =>
        values.TryGetValue(name, out var text) ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : byDefault;
}
