using ClinicCluster.ServiceDefaults.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClinicCluster.ServiceDefaults;

/// <summary>
/// The one way both hosts report a configuration mistake: a single line on stderr, "Configuration
/// error: " and what each failed setting says (its name and the problem, never a secret's value),
/// then exit code 2. No stack trace: the operator's fix is a setting, not our code. Everything
/// checked at start goes through here; a bug is still a crash with its stack trace.
/// </summary>
public static class ConfigurationError
{
    public const int ExitCode = ExitCodes.ConfigurationError;

    private const string BinderAssembly = "Microsoft.Extensions.Configuration.Binder";

    /// <summary>
    /// A mistake found by a check no options class can hold (a command's required file, a key ring
    /// that does not parse): thrown, it takes the same path as a validator's failure.
    /// </summary>
    public static OptionsValidationException Problem(string failure) => new("configuration", typeof(ConfigurationError), [failure]);

    /// <summary>
    /// Runs the options validators registered with ValidateOnStart now, after the host is built and
    /// before anything starts: run by the host instead, a failure is logged with its stack trace
    /// ("Hosting failed to start") before it reaches <see cref="Describe"/>.
    /// </summary>
    public static void ValidateNow(IServiceProvider services) => services.GetService<IStartupValidator>()?.Validate();

    /// <summary>The line for <paramref name="exception"/> when it is a configuration mistake, else null.</summary>
    public static string? Describe(Exception exception)
    {
        var failures = exception switch
        {
            OptionsValidationException options => options.Failures,
            AggregateException aggregate when aggregate.InnerExceptions.Count > 0
                && aggregate.InnerExceptions.All(e => e is OptionsValidationException)
                => aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures),
            // A value that does not convert ("soon" for a TimeSpan), met while options registered
            // with BindConfiguration are first resolved: the binder's message names the key. Only
            // numbers, times, flags and enums fail to convert, never a secret's text.
            InvalidOperationException binding when binding.Source == BinderAssembly => [binding.Message],
            _ => null,
        };

        // Validators' messages may span lines; the report stays one line, whatever a message holds.
        return failures is null
            ? null
            : Format(failures);
    }

    /// <summary>The one formatter: "Configuration error: " and each failure, on one line whatever a message holds.</summary>
    public static string Format(IEnumerable<string> failures) =>
        "Configuration error: " + string.Join("; ", failures.Select(f => f.ReplaceLineEndings(" ").Trim()));
}
