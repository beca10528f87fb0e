using System.CommandLine;
using ClinicCluster.Api.Auth;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.ServiceDefaults.Commands;

namespace ClinicCluster.Api.Commands;

/// <summary>
/// <c>dev-token --clinic c1 [--clinic c2] --role frontdesk [--subject alice] [--scope user/Patient.rs]</c>
/// (every role in every clinic named) or <c>dev-token --grant c1:frontdesk --grant c2:admin</c> (a role per clinic): prints a
/// signed development token. Refuses unless a development signing key is configured, which the API only
/// accepts in the Development environment. Exit codes: 0 printed, 2 no usable key, 64 usage.
/// </summary>
internal static class DevTokenCommand
{
    public const string Name = "dev-token";

    /// <param name="host">The configuration and environment the API would run with, for the command-line settings given.</param>
    public static Command Create(Func<string[], (IConfiguration Configuration, IHostEnvironment Environment)> host, CommandOutput output)
    {
        var clinics = new Option<string[]>("--clinic") { Description = "A clinic (or * for every clinic) the roles apply in; repeatable.", HelpName = "id|*" };
        var roles = new Option<string[]>("--role") { Description = $"A role granted in every clinic named; repeatable: {string.Join(", ", Roles.All)}.", HelpName = "role" };
        var grants = new Option<string[]>("--grant") { Description = "One role in one clinic; repeatable.", HelpName = "clinic:role" };
        var scopes = new Option<string[]>("--scope") { Description = "An OAuth scope for the token's scope claim, e.g. user/Patient.rs (the FHIR routes need SMART user/ scopes); repeatable.", HelpName = "scope" };
        var subject = new Option<string>("--subject") { Description = "The token's subject.", HelpName = "name", DefaultValueFactory = _ => "dev-user" };
        var command = new Command(Name, "Print a signed development token (Development environment and Auth:DevSigningKey only).")
        {
            clinics, roles, grants, scopes, subject,
        };
        command.Require(result =>
        {
            var (c, r) = (result.GetValue(clinics) ?? [], result.GetValue(roles) ?? []);
            var explicitGrants = (result.GetValue(grants) ?? []).Select(ClinicClaims.ParseGrant).ToList();
            return explicitGrants.Contains(null) ? "--grant takes <clinic>:<role>."
                : (c.Length == 0) != (r.Length == 0) || (c.Length == 0 && explicitGrants.Count == 0)
                    ? "Name clinics and roles together (--clinic and --role), or grants (--grant)."
                : r.Concat(explicitGrants.Select(g => g!.Value.Role)).FirstOrDefault(role => !Roles.All.Contains(role)) is { } unknown
                    ? $"Unknown role '{unknown}'; one of {string.Join(", ", Roles.All)}."
                : null;
        });
        command.SetAction(async (parse, _) =>
        {
            var (configuration, environment) = host(parse.ConfigurationArguments());
            var options = ConfiguredOptions.Read<AuthOptions>(configuration, AuthOptions.SectionName);
            if (!environment.IsDevelopment() || options.DevSigningKey is not { Length: >= DevTokenIssuer.MinimumKeyLength })
            {
                throw ConfigurationError.Problem(
                    $"{Name} needs a development signing key: set Auth:DevSigningKey ({DevTokenIssuer.MinimumKeyLength}+ characters) and run in the Development environment.");
            }

            var pairs = (parse.GetValue(clinics) ?? []).SelectMany(c => (parse.GetValue(roles) ?? []).Select(r => (c, r)))
                .Concat((parse.GetValue(grants) ?? []).Select(g => ClinicClaims.ParseGrant(g)!.Value))
                .ToList();
            await output.Output.WriteLineAsync(DevTokenIssuer.Issue(options, parse.GetValue(subject)!, pairs, DateTimeOffset.UtcNow, parse.GetValue(scopes)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
