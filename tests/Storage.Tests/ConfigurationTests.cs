using ClinicCluster.Persistence.Postgres;
using ClinicCluster.ServiceDefaults;
using ClinicCluster.Silo.Dashboard;
using ClinicCluster.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ClinicCluster.Storage.Tests;

public sealed class ConfigurationTests
{
    private const string Valid = "Host=127.0.0.1;Port=5432;Database=clinic;Username=clinic_app;Password=secret-value";

    [Fact]
    public void The_runtime_connection_gets_the_orleans_search_path()
    {
        var resolved = new NpgsqlConnectionStringBuilder(Options(("ConnectionString", Valid)).ResolveRuntime());

        Assert.Equal("orleans", resolved.SearchPath);
        Assert.Equal("clinic_app", resolved.Username);
    }

    [Fact]
    public void A_given_search_path_is_kept()
    {
        var resolved = new NpgsqlConnectionStringBuilder(Options(("ConnectionString", Valid + ";Search Path=orleans,public")).ResolveRuntime());

        Assert.Equal("orleans,public", resolved.SearchPath);
    }

    [Fact]
    public void The_connection_string_can_come_from_a_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, Valid + "\n");

            var resolved = new NpgsqlConnectionStringBuilder(Options(("ConnectionStringFile", file)).ResolveRuntime());

            Assert.Equal("secret-value", resolved.Password);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Inline_and_file_together_are_refused()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            Options(("ConnectionString", Valid), ("ConnectionStringFile", "/run/secrets/pg")).ResolveRuntime());

        Assert.Contains("set only one", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_refused_by_name()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(("ConnectionStringFile", "/nonexistent/pg")).ResolveRuntime());

        Assert.Contains("Postgres:ConnectionStringFile '/nonexistent/pg'", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void No_connection_string_is_refused()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options().ResolveRuntime());

        Assert.Contains("Postgres:ConnectionString", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_connection_string_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(("ConnectionString", "Hots=x;Password=hunter2")).ResolveRuntime());

        var failure = Assert.Single(error.Failures);
        Assert.Contains("not a valid Npgsql connection string", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Migration_uses_its_own_connection_string_or_falls_back_to_the_runtime_one()
    {
        var owner = Valid.Replace("clinic_app", "clinic_owner", StringComparison.Ordinal);

        var own = new NpgsqlConnectionStringBuilder(Options(("ConnectionString", Valid), ("MigrationConnectionString", owner)).ResolveMigration());
        var fallback = new NpgsqlConnectionStringBuilder(Options(("ConnectionString", Valid)).ResolveMigration());

        Assert.Equal("clinic_owner", own.Username);
        Assert.Equal("clinic_app", fallback.Username);
    }

    [Fact]
    public void Cluster_identity_comes_from_the_orleans_environment_variables()
    {
        var options = SiloHostingExtensions.ReadOptions(Configuration(
            ("Silo:ClusterId", "from-settings"), ("ORLEANS_CLUSTER_ID", "from-env"), ("ORLEANS_SERVICE_ID", "service-env")));

        Assert.Equal("from-env", options.ClusterId);
        Assert.Equal("service-env", options.ServiceId);
    }

    [Fact]
    public void An_advertised_address_must_be_an_ip_address()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            SiloHostingExtensions.ReadOptions(Configuration(("Silo:AdvertisedIPAddress", "silo.local"))));

        Assert.Contains("Silo:AdvertisedIPAddress", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00.500", false)]
    [InlineData("00:00:01", true)]
    [InlineData("00:00:30", true)]
    [InlineData("00:02:00", false)]
    public void The_dashboard_samples_counters_between_once_a_second_and_once_a_minute(string interval, bool accepted)
    {
        var options = new OperatorDashboardOptions { CounterUpdateInterval = TimeSpan.Parse(interval, System.Globalization.CultureInfo.InvariantCulture) };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);

        Assert.Equal(accepted, valid);
        Assert.All(results, r => Assert.Contains(nameof(OperatorDashboardOptions.CounterUpdateInterval), r.MemberNames));
    }

    private static PostgresOptions Options(params (string Key, string Value)[] settings) =>
        PostgresOptions.Read(Configuration(settings.Select(s => ($"Postgres:{s.Key}", s.Value)).ToArray()));

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
}

public sealed class PostgresPoolOptionsTests
{
    private const string Valid = "Host=127.0.0.1;Port=5432;Database=clinic;Username=clinic_app;Password=secret-value";

    [Fact]
    public void The_pool_is_bounded_and_hot_statements_are_prepared_by_default()
    {
        var applied = new NpgsqlConnectionStringBuilder(new PostgresPoolOptions().ApplyTo(Valid));

        Assert.Equal(PostgresPoolOptions.DefaultMaxPoolSize, applied.MaxPoolSize);
        Assert.Equal(32, applied.MaxAutoPrepare);
        Assert.Equal(60, applied.ConnectionIdleLifetime);
        Assert.True(applied.NoResetOnClose);
    }

    [Fact]
    public void A_reset_on_close_written_in_the_connection_string_is_kept()
    {
        var written = new NpgsqlConnectionStringBuilder(new PostgresPoolOptions().ApplyTo(Valid + ";No Reset On Close=false"));

        Assert.False(written.NoResetOnClose);
    }

    [Fact]
    public void Auto_prepare_can_be_turned_off_for_pgbouncer_and_the_connection_string_wins()
    {
        var off = new NpgsqlConnectionStringBuilder(new PostgresPoolOptions { MaxAutoPrepare = 0 }.ApplyTo(Valid));
        var written = new NpgsqlConnectionStringBuilder(new PostgresPoolOptions().ApplyTo(Valid + ";Max Auto Prepare=5"));

        Assert.Equal(0, off.MaxAutoPrepare);
        Assert.Equal(5, written.MaxAutoPrepare);
    }
}
