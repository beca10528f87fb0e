using System.CommandLine;
using System.CommandLine.Parsing;

namespace ClinicCluster.ServiceDefaults.Commands;

/// <summary>
/// Rules over a command's values, checked while parsing: a broken rule is a usage error (64).
/// A rule returns the problem, or null when the values are fine.
/// </summary>
public static class CommandRules
{
    public static void Require(this Command command, Func<CommandResult, string?> rule) =>
        command.Validators.Add(result => Check(result, () => rule(result)));

    public static void Require<T>(this Option<T> option, Func<T?, string?> rule) =>
        option.Validators.Add(result => Check(result, () => rule(result.GetValueOrDefault<T>())));

    private static void Check(SymbolResult result, Func<string?> rule)
    {
        string? problem;
        try
        {
            problem = rule();
        }
        catch (InvalidOperationException)
        {
            // A value that did not parse (a missing argument, "many" for a number) was reported
            // already; this rule has nothing to add.
            return;
        }

        if (problem is not null)
        {
            result.AddError(problem);
        }
    }
}
