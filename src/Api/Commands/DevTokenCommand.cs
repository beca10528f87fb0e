using ClinicCluster.Api.Auth;

namespace ClinicCluster.Api.Commands;

/// <summary>
/// <c>dev-token --clinic c1 [--clinic c2] --role frontdesk [--subject alice]</c>: prints a signed
/// development token. Refuses unless a development signing key is configured, which the API only
/// accepts in the Development environment.
/// </summary>
public static class DevTokenCommand
{
    public const string Name = "dev-token";

    public static int Run(IReadOnlyList<string> args, IConfiguration configuration, IHostEnvironment environment, TextWriter output, TextWriter error)
    {
        var options = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (!environment.IsDevelopment() || options.DevSigningKey is not { Length: >= DevTokenIssuer.MinimumKeyLength })
        {
            error.WriteLine("dev-token: no development signing key. Set Auth:DevSigningKey (32+ characters) and run in the Development environment.");
            return 2;
        }

        var clinics = Values(args, "--clinic");
        var roles = Values(args, "--role");
        var subject = Values(args, "--subject").LastOrDefault() ?? "dev-user";
        var unknownRole = roles.FirstOrDefault(r => !Roles.All.Contains(r));
        if (clinics.Count == 0 || roles.Count == 0 || unknownRole is not null)
        {
            error.WriteLine($"usage: dev-token --clinic <id|*> [--clinic <id>] --role <{string.Join("|", Roles.All)}> [--subject <name>]");
            return 2;
        }

        output.WriteLine(DevTokenIssuer.Issue(options, subject, roles, clinics, DateTimeOffset.UtcNow));
        return 0;
    }

    private static List<string> Values(IReadOnlyList<string> args, string option) =>
        args.Select((arg, i) => (arg, i))
            .Where(a => a.arg == option && a.i + 1 < args.Count)
            .Select(a => args[a.i + 1])
            .ToList();
}
