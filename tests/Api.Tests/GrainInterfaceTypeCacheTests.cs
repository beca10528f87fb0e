using ClinicCluster.Patients;
using ClinicCluster.Scheduling;
using ClinicCluster.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.TypeSystem;

namespace ClinicCluster.Api.Tests;

/// <summary>
/// The interface type cache ahead of Orleans' providers: references keep exactly the interface
/// type Orleans gives them, and the providers behind it are asked once per interface, not per call.
/// </summary>
public sealed class GrainInterfaceTypeCacheTests
{
    [Theory]
    [InlineData(typeof(IPatientGrain))]
    [InlineData(typeof(IAppointmentGrain))]
    [InlineData(typeof(IProviderScheduleGrain))]
    public void Every_interface_gets_the_type_orleans_would_give_it(Type grainInterface)
    {
        var (cached, plain, _) = Resolvers();

        Assert.Equal(plain.GetGrainInterfaceType(grainInterface), cached.GetGrainInterfaceType(grainInterface));
    }

    [Fact]
    public void The_providers_behind_the_cache_are_asked_once_per_interface()
    {
        var (cached, _, counting) = Resolvers();

        for (var i = 0; i < 5; i++)
        {
            cached.GetGrainInterfaceType(typeof(IPatientGrain));
            cached.GetGrainInterfaceType(typeof(IAppointmentGrain));
        }

        Assert.Equal(2, counting.Calls);
    }

    private static (GrainInterfaceTypeResolver Cached, GrainInterfaceTypeResolver Plain, CountingProvider Counting) Resolvers()
    {
        var counting = new CountingProvider();
        var services = new ServiceCollection().AddSerializer();
        services.AddSingleton<IGrainInterfaceTypeProvider>(counting);
        services.AddSingleton<IGrainInterfaceTypeProvider, AttributeGrainInterfaceTypeProvider>();
        services.AddGrainInterfaceTypeCache();
        services.AddSingleton<GrainInterfaceTypeResolver>();
        var provider = services.BuildServiceProvider();

        var plain = new GrainInterfaceTypeResolver(
            [new AttributeGrainInterfaceTypeProvider(provider)], provider.GetRequiredService<TypeConverter>());
        return (provider.GetRequiredService<GrainInterfaceTypeResolver>(), plain, counting);
    }

    /// <summary>Answers nothing (as Orleans' own providers do for most interfaces); counts the questions.</summary>
    private sealed class CountingProvider : IGrainInterfaceTypeProvider
    {
        public int Calls { get; private set; }

        public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
        {
            Calls++;
            grainInterfaceType = default;
            return false;
        }
    }
}
