using System.Text;
using ClinicCluster.ServiceDefaults.Management;
using ClinicCluster.Silo.Dashboard;

namespace ClinicCluster.Observability.Tests;

/// <summary>The two secrets' rules without a host: operator accounts and the metrics token.</summary>
public sealed class CredentialTests
{
    [Fact]
    public void Operator_file_accepts_listed_accounts_only_with_their_password()
    {
        var operators = OperatorCredentials.Parse(["# ops team", "", "alice:s3cret:with:colons", "bob:hunter2"])!;

        Assert.True(operators.Accepts(Basic("alice", "s3cret:with:colons")));
        Assert.True(operators.Accepts(Basic("bob", "hunter2")));
        Assert.False(operators.Accepts(Basic("bob", "hunter3")));
        Assert.False(operators.Accepts(Basic("mallory", "hunter2")));
        Assert.False(operators.Accepts(Basic("", "hunter2")));
        Assert.False(operators.Accepts("Basic not-base64!"));
        Assert.False(operators.Accepts("Bearer hunter2"));
        Assert.False(operators.Accepts(null));
    }

    [Theory]
    [InlineData("# only a comment")]
    [InlineData("no-colon-here")]
    [InlineData(":password-without-name")]
    [InlineData("name-without-password:")]
    public void Operator_file_without_a_well_formed_account_is_refused(string line) =>
        Assert.Null(OperatorCredentials.Parse([line]));

    [Fact]
    public void Metrics_token_is_required_outside_the_embedded_default()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "  the-token \n");
            var withToken = new ManagementAccess(8081, file, anonymousAllowed: false);
            Assert.True(withToken.AllowsMetrics("Bearer the-token"));
            Assert.True(withToken.AllowsMetrics("bearer the-token"));
            Assert.False(withToken.AllowsMetrics("Bearer the-token2"));
            Assert.False(withToken.AllowsMetrics(null));

            // The embedded default with a token configured still asks for it.
            Assert.False(new ManagementAccess(8081, file, anonymousAllowed: true).AllowsMetrics(null));
        }
        finally
        {
            File.Delete(file);
        }

        Assert.False(new ManagementAccess(8081, null, anonymousAllowed: false).AllowsMetrics("Bearer anything"));
        Assert.True(new ManagementAccess(null, null, anonymousAllowed: true).AllowsMetrics(null));
    }

    private static string Basic(string name, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{name}:{password}"));
}
