using ClinicCluster.Testing.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicCluster.Storage.Tests;

/// <summary>
/// A cluster of real silos on one database (AdoNet clustering, PostgreSQL storage) whose members a
/// test kills one at a time. Each silo has a number, never reused, that its kill seam reports.
/// </summary>
internal sealed class SiloPool(string appConnectionString, KillFaults faults, IDictionary<string, string?> settings) : IAsyncDisposable
{
    private static readonly TimeSpan DeathTimeout = TimeSpan.FromSeconds(30);

    private readonly SortedDictionary<int, SiloHost> _live = [];
    private int _next;

    /// <summary>The live silos, oldest first.</summary>
    public IReadOnlyList<SiloHost> Live => [.. _live.Values];

    public SiloHost this[int number] => _live[number];

    /// <summary>Starts silos until <paramref name="size"/> are live (one after another: each joins the others).</summary>
    public async Task FillAsync(int size)
    {
        while (_live.Count < size)
        {
            var number = _next++;
            _live[number] = await SiloHost.StartAsync(appConnectionString, settings,
                services => services.AddSingleton(faults.On(number)));
        }
    }

    /// <summary>Kills silo <paramref name="number"/> and waits until every survivor sees it dead.</summary>
    public async Task KillAsync(int number)
    {
        var victim = _live[number];
        _live.Remove(number);
        var address = victim.Address;
        await victim.KillAsync();
        var deadline = DateTime.UtcNow + DeathTimeout;
        while (!_live.Values.All(s => s.StatusOf(address) == SiloStatus.Dead))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The survivors did not declare silo {number} dead within {DeathTimeout.TotalSeconds} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _live.Values.Reverse())
        {
            await silo.DisposeAsync();
        }

        _live.Clear();
    }
}
