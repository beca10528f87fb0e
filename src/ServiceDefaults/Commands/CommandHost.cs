using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ClinicCluster.ServiceDefaults.Commands;

/// <summary>
/// Runs a host's root command (the silo or the API) on System.CommandLine: parses, answers
/// <c>--help</c>, refuses a bad command line with a usage line and <see cref="ExitCodes.Usage"/>,
/// and reports a configuration mistake (an options validation failure, whoever raises it) with
/// <see cref="ConfigurationError"/>'s one line and <see cref="ExitCodes.ConfigurationError"/>.
/// Tokens the commands do not declare are configuration overrides (<c>--Postgres:ConnectionString x</c>,
/// as <c>AddCommandLine</c> reads them): every command line of earlier releases keeps working.
/// </summary>
public static class CommandHost
{
    // No response files: a configuration value may start with '@' and must reach the command as typed.
    private static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, CommandOutput output)
    {
        AcceptConfigurationTokens(root);
        var parse = root.Parse(args, Parser);
        var helpOrVersion = parse.Action is { ClearsParseErrors: true } and not ParseErrorAction;
        var problems = helpOrVersion
            ? []
            : parse.Errors.Select(e => e.Message)
                .Concat(Commands.ConfigurationArguments.Problems(parse.UnmatchedTokens, isHost: parse.CommandResult.Command == root))
                .ToList();
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await output.Error.WriteLineAsync($"error: {problem}");
            }

            await output.Error.WriteLineAsync($"usage: {Usage.Of(parse.CommandResult.Command)}");
            return ExitCodes.Usage;
        }

        if (parse.Action is HelpAction)
        {
            // Rendered aside, then corrected: see HelpText.
            using var help = new StringWriter();
            var code = await parse.InvokeAsync(new InvocationConfiguration { Output = help, Error = output.Error });
            await output.Output.WriteAsync(HelpText.Correct(help.ToString()));
            return code;
        }

        try
        {
            // The host owns SIGTERM (graceful shutdown) and crashes keep their stack trace: the
            // library's own signal and exception handling stay off.
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = output.Output,
                Error = output.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception exception) when (ConfigurationError.Describe(exception) is { } line)
        {
            // A configuration mistake is an operator's problem: one line naming the setting, no stack trace.
            await output.Error.WriteLineAsync(line);
            return ExitCodes.ConfigurationError;
        }
    }

    /// <summary>The configuration overrides on the command line: the tokens no command declared.</summary>
    public static string[] ConfigurationArguments(this ParseResult parse) => [.. parse.UnmatchedTokens];

    private static void AcceptConfigurationTokens(Command command)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        foreach (var child in command.Subcommands)
        {
            AcceptConfigurationTokens(child);
        }
    }
}
