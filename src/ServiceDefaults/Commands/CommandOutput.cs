namespace ClinicCluster.ServiceDefaults.Commands;

/// <summary>Where a command writes: standard output for results, standard error for everything else.</summary>
public sealed record CommandOutput(TextWriter Output, TextWriter Error)
{
    public static CommandOutput Console { get; } = new(System.Console.Out, System.Console.Error);
}
