using ClinicCluster.Api.Endpoints;

namespace ClinicCluster.Api.Tests;

/// <summary>The API's memory of clinics that exist (a grain call saved per request under a known clinic).</summary>
public sealed class KnownClinicsTests
{
    [Fact]
    public void Remembers_added_clinics_only()
    {
        var known = new KnownClinics();
        known.Add("c-1");

        Assert.True(known.Contains("c-1"));
        Assert.False(known.Contains("c-2"));
        Assert.False(known.Contains("C-1"));
    }

    [Fact]
    public void Stops_remembering_at_its_capacity()
    {
        var known = new KnownClinics();
        for (var i = 0; i < KnownClinics.Capacity + 10; i++)
        {
            known.Add($"c-{i}");
        }

        Assert.True(known.Contains("c-0"));
        Assert.True(known.Contains($"c-{KnownClinics.Capacity - 1}"));
        Assert.False(known.Contains($"c-{KnownClinics.Capacity}"));
    }
}
