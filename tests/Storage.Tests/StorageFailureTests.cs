using ClinicCluster.Common;
using ClinicCluster.Patients;
using ClinicCluster.Persistence.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// A database failure inside a grain reaches the caller as the serializable
/// StorageUnavailableException (the API's 503), never as Npgsql's exception Orleans cannot carry.
/// </summary>
public sealed class StorageFailureTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_grain_whose_state_write_fails_answers_storage_unavailable_without_the_row()
    {
        await using var silo = await SiloHost.StartAsync(_database.App);
        await using (var connection = new NpgsqlConnection(_database.Owner))
        {
            await connection.OpenAsync();
            await using var revoke = new NpgsqlCommand("REVOKE INSERT, UPDATE ON orleans.grain_state FROM clinic_app", connection);
            await revoke.ExecuteNonQueryAsync();
        }

        var mrn = "MRN-FAIL-" + Guid.NewGuid().ToString("N")[..8];
        var patient = silo.Grains.GetGrain<IPatientGrain>(ClinicScopedKey.Format(TestData.NewId("clinic"), TestData.NewId("pat")));
        var failure = await Assert.ThrowsAsync<StorageUnavailableException>(() => patient.CreateAsync(TestData.Patient(mrn)));

        Assert.Equal("42501", failure.SqlState);
        Assert.DoesNotContain(mrn, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Driver_failures_are_translated_wherever_they_are_wrapped_and_nothing_else_is()
    {
        var server = new PostgresException("too many clients", "FATAL", "FATAL", "53300");
        Assert.Equal("53300", StorageFailureCallFilter.Translate(server)?.SqlState);
        Assert.Equal("53300", StorageFailureCallFilter.Translate(new InvalidOperationException("wrapped", new AggregateException(server)))?.SqlState);
        Assert.NotNull(StorageFailureCallFilter.Translate(new NpgsqlException("pool exhausted")));
        Assert.Null(StorageFailureCallFilter.Translate(new StorageUnavailableException("53300")));
        Assert.Null(StorageFailureCallFilter.Translate(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void The_exception_survives_Orleans_serialization()
    {
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(new StorageUnavailableException("08006")));

        var unavailable = Assert.IsType<StorageUnavailableException>(copy);
        Assert.Equal("08006", unavailable.SqlState);
        Assert.Contains("08006", unavailable.Message, StringComparison.Ordinal);
    }
}
