using System.Net;
using ClinicCluster.Api.Auth;
using ClinicCluster.Audit;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Tests;

/// <summary>Practitioner and Schedule search, Organization and Location read: the clinic's directory, no PHI, each request audited once.</summary>
[Collection(FhirCollection.Name)]
public sealed class DirectoryTests(FhirFixture fixture)
{
    [Fact]
    public async System.Threading.Tasks.Task Practitioners_are_searched_by_name_and_id_and_paged_with_a_token()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync(providers: 3);
        var client = fixture.Client(clinicId, FhirFixture.Token(Roles.Auditor, clinicId));

        var ids = new List<string>();
        var page = await client.SearchAsync<Practitioner>(["name=visi", "_count=2"]);
        Assert.Equal(3, page!.Total);
        Assert.DoesNotContain("visi", page.Link.Single(l => l.Relation == "next").Url, StringComparison.OrdinalIgnoreCase);
        for (var i = 0; page is not null && i < 5; i++, page = await client.ContinueAsync(page))
        {
            ids.AddRange(page.Entry.Select(e => e.Resource!.Id!));
        }

        Assert.Equal(3, ids.Distinct().Count());
        Assert.Contains(providerId, ids);
        Assert.Empty((await client.SearchAsync<Practitioner>(["name=nobody"]))!.Entry);
        var byId = await client.SearchAsync<Practitioner>([$"_id={providerId}"]);
        Assert.Equal("Dr. Visit 0", ((Practitioner)Assert.Single(byId!.Entry).Resource!).Name.Single().Text);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_practitioner_has_one_schedule_found_by_actor()
    {
        var (clinicId, providerId) = await fixture.VisitClinicAsync(providers: 2);
        var client = fixture.Client(clinicId, FhirFixture.Token(Roles.FrontDesk, clinicId));

        var all = await client.SearchAsync<Schedule>([]);
        Assert.Equal(2, all!.Entry.Count);
        var mine = await client.SearchAsync<Schedule>([$"actor=Practitioner/{providerId}"]);
        var schedule = (Schedule)Assert.Single(mine!.Entry).Resource!;
        Assert.Equal((providerId, $"Practitioner/{providerId}"), (schedule.Id, schedule.Actor.Single().Reference));
    }

    [Fact]
    public async System.Threading.Tasks.Task The_clinic_reads_as_its_organization_and_location_each_audited_once()
    {
        var (clinicId, _) = await fixture.VisitClinicAsync();
        var marker = "fhir-directory-" + Guid.NewGuid().ToString("N")[..8];
        var client = fixture.Client(clinicId, FhirFixture.Token(Roles.SecurityOfficer, clinicId), marker);

        var organization = await client.ReadAsync<Organization>($"Organization/{clinicId}");
        var location = await client.ReadAsync<Location>($"Location/{clinicId}");
        await client.SearchAsync<Practitioner>([]);

        Assert.Equal((clinicId, "FHIR visit clinic"), (organization!.Id, organization.Name));
        Assert.Equal((clinicId, $"Organization/{clinicId}"), (location!.Id, location.ManagingOrganization!.Reference));
        var events = await fixture.EventsMarkedAsync(clinicId, marker, atLeast: 3);
        Assert.Equal([("Location", AuditAction.Read), ("Organization", AuditAction.Read), ("Practitioner", AuditAction.Search)],
            events.Select(e => (e.ResourceType, e.Action)).Order());
        Assert.All(events, e => Assert.Equal(200, e.HttpStatus));
    }
}
