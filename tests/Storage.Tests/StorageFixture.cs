namespace ClinicCluster.Storage.Tests;

/// <summary>A migrated database and one production-configured silo on it, shared by a collection.</summary>
public sealed class StorageFixture : IAsyncLifetime
{
    private SiloHost? _silo;

    public TestDatabase Database { get; } = new();

    internal SiloHost Silo => _silo ?? throw new InvalidOperationException("The silo is not started.");

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Database.MigrateAsync();
        _silo = await SiloHost.StartAsync(Database.App);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}

/// <summary>Tests that share one silo and database; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<StorageFixture>
{
    public const string Name = "PostgreSQL storage on one silo";
}
