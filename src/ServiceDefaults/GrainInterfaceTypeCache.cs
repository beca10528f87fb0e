using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Runtime;
using Orleans.Serialization.TypeSystem;

namespace ClinicCluster.ServiceDefaults;

/// <summary>
/// Remembers each grain interface's <see cref="GrainInterfaceType"/>. Orleans' grain factory asks
/// its interface type providers on every <c>GetGrain</c>, and they answer by reading the
/// interface's attributes and formatting its name: 5 % of the silo's and of the API's CPU under
/// booking load (docs/performance.md). This provider is asked first and answers from a cache that
/// it fills, once per interface, from the other providers and Orleans' naming convention, so
/// every reference keeps exactly the type Orleans would have given it.
/// </summary>
internal sealed class GrainInterfaceTypeCache(IServiceProvider services) : IGrainInterfaceTypeProvider
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _known = new();
    private GrainInterfaceTypeResolver? _resolver;

    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        grainInterfaceType = _known.GetOrAdd(type, static (t, cache) => cache.Resolver.GetGrainInterfaceType(t), this);
        return true;
    }

    // Built on first use, from every provider but this one: resolving them while the grain
    // factory's own resolver is being built would be a cycle.
    private GrainInterfaceTypeResolver Resolver => _resolver ??= new GrainInterfaceTypeResolver(
        services.GetServices<IGrainInterfaceTypeProvider>().Where(p => p != this),
        services.GetRequiredService<TypeConverter>());
}

public static class GrainInterfaceTypeCacheExtensions
{
    /// <summary>
    /// Puts <see cref="GrainInterfaceTypeCache"/> ahead of Orleans' interface type providers (the
    /// resolver asks them in registration order). Call from the silo's and the client's builder.
    /// </summary>
    public static IServiceCollection AddGrainInterfaceTypeCache(this IServiceCollection services)
    {
        services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, GrainInterfaceTypeCache>());
        return services;
    }
}
