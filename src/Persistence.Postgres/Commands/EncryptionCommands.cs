using System.CommandLine;
using ClinicCluster.Security;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Commands;

namespace ClinicCluster.Persistence.Postgres.Commands;

/// <summary><c>encryption rotate|reindex</c>: the group, and what its two commands share.</summary>
internal static class EncryptionCommands
{
    public static Command Create(CommandOutput output, IClusterAccess cluster) =>
        new("encryption", "Key rotation: re-encrypt stored PHI, move the blind indexes to the active key.")
        {
            EncryptionRotateCommand.Create(output),
            EncryptionReindexCommand.Create(output, cluster),
        };

    /// <summary><c>--batch-size</c>, bounded so one batch never holds the database or the cluster for long.</summary>
    public static Option<int> BatchSize(int byDefault, int maximum, string what)
    {
        var option = new Option<int>("--batch-size")
        {
            Description = $"{what} (1-{maximum}).",
            HelpName = "n",
            DefaultValueFactory = _ => byDefault,
        };
        option.Require(size => size < 1 || size > maximum ? $"--batch-size must be between 1 and {maximum}." : null);
        return option;
    }

    /// <summary>The key ring the command works with: required here, where the silo falls back to an ephemeral ring.</summary>
    public static string KeyRingFile(IConfiguration configuration, string why) =>
        ConfiguredOptions.Read(configuration, EncryptionOptions.SectionName, validator: new EncryptionOptionsValidator(why)).KeyRingFile!;
}
