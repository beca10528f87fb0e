namespace ClinicCluster.ServiceDefaults.Commands;

/// <summary>
/// System.CommandLine describes the tokens a command does not declare as "Arguments passed to the
/// application that is being run" (a section "Additional Arguments" and <c>[[--] &lt;additional
/// arguments&gt;...]]</c> in the usage line). Here they are configuration overrides, so the help says that instead.
/// </summary>
internal static class HelpText
{
    private const string LibraryUsage = "[[--] <additional arguments>...]]";
    private const string LibrarySection = "Additional Arguments:";

    public const string SettingsUsage = "[--Section:Key <value>...]";

    public const string SettingsSection = """
        Settings:
          --Section:Key <value>  Overrides a setting of appsettings.json or the environment (e.g. --Postgres:ConnectionString).
        """;

    public static string Correct(string help)
    {
        var lines = help.ReplaceLineEndings("\n").Split('\n').ToList();
        var section = lines.FindIndex(l => l.TrimEnd() == LibrarySection);
        if (section >= 0)
        {
            // The heading and its indented description, up to the blank line that ends the section.
            var end = section + 1;
            while (end < lines.Count && lines[end].StartsWith(' '))
            {
                end++;
            }

            lines.RemoveRange(section, end - section);
            lines.InsertRange(section, SettingsSection.Split('\n'));
        }

        return string.Join(Environment.NewLine, lines).Replace(LibraryUsage, SettingsUsage, StringComparison.Ordinal);
    }
}
