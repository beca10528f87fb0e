using System.CommandLine;
using System.CommandLine.Help;

namespace ClinicCluster.ServiceDefaults.Commands;

/// <summary>The one-line synopsis printed with a usage error: the command's path and its options.</summary>
internal static class Usage
{
    public static string Of(Command command)
    {
        var path = new List<string>();
        for (Command? at = command; at is not null; at = at.Parents.OfType<Command>().FirstOrDefault())
        {
            path.Insert(0, at is RootCommand root ? root.HelpName ?? RootCommand.ExecutableName : at.Name);
        }

        var options = command.Options.Where(o => o is not HelpOption && o is not VersionOption).Select(Synopsis);
        var commands = command.Subcommands.Count > 0 ? $"<{string.Join("|", command.Subcommands.Select(c => c.Name))}>" : null;
        return string.Join(" ", path.Append(commands).Concat(options).OfType<string>()) + $"  (see {string.Join(" ", path)} --help)";
    }

    private static string Synopsis(Option option)
    {
        var value = option.Arity.MaximumNumberOfValues == 0 || option.ValueType == typeof(bool) ? "" : $" <{option.HelpName ?? option.Name.TrimStart('-')}>";
        var text = option.Name + value;
        return option.Required ? text : $"[{text}]";
    }
}
