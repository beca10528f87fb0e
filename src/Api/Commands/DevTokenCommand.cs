using ClinicCluster.Api.Auth;

namespace ClinicCluster.Api.Commands;

/// <summary>
/// <c>dev-token --clinic c1 [--clinic c2] --role frontdesk [--subject alice]</c> (every role in every
/// clinic named) or <c>dev-token --grant c1:frontdesk --grant c2:admin</c> (a role per clinic): prints a
/// signed development token. Refuses unless a development signing key is configured, which the API only
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
        var grants = clinics.SelectMany(c => roles.Select(r => (c, r))).ToList();
        var explicitGrants = Values(args, "--grant").Select(ClinicClaims.ParseGrant).ToList();
        grants.AddRange(explicitGrants.OfType<(string, string)>());
        var pairedOnlyOne = (clinics.Count == 0) != (roles.Count == 0);
        if (grants.Count == 0 || pairedOnlyOne || explicitGrants.Contains(null) || grants.Any(g => !Roles.All.Contains(g.Item2)))
        {
            error.WriteLine($"usage: dev-token --clinic <id|*> [--clinic <id>] --role <{string.Join("|", Roles.All)}> [--grant <clinic>:<role>] [--subject <name>]");
            return 2;
        }

        output.WriteLine(DevTokenIssuer.Issue(options, subject, grants, DateTimeOffset.UtcNow));
        return 0;
    }

    private static List<string> Values(IReadOnlyList<string> args, string option) =>
        args.Select((arg, i) => (arg, i))
            .Where(a => a.arg == option && a.i + 1 < args.Count)
            .Select(a => args[a.i + 1])
            .ToList();
}
