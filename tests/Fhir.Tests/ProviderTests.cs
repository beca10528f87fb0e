using ClinicCluster.Api.Auth;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Tests;

/// <summary>Practitioner and Schedule read: one of each per provider, with the clinic-read permission (no PHI).</summary>
[Collection(FhirCollection.Name)]
public sealed class ProviderTests(FhirFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task A_provider_reads_as_a_practitioner_and_its_schedule()
    {
        var (clinicId, providerId) = await fixture.ClinicAsync();
        var client = fixture.Client(clinicId, FhirFixture.Token(Roles.Auditor, clinicId));

        var practitioner = await client.ReadAsync<Practitioner>($"Practitioner/{providerId}");
        var schedule = await client.ReadAsync<Schedule>($"Schedule/{providerId}");

        Assert.Equal((providerId, "Dr. Test"), (practitioner!.Id, practitioner.Name.Single().Text));
        Assert.Equal(providerId, schedule!.Id);
        Assert.Equal($"Practitioner/{providerId}", schedule.Actor.Single().Reference);
        Assert.Equal("Family medicine", schedule.Specialty.Single().Text);
    }
}
