using System.Net;
using ClinicCluster.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// Refused requests cannot grow the audit trail without bound, yet every one is accounted for;
/// untrusted ids reach an audit record only validated or hashed.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class DenialAuditTests(SecurityFixture fixture)
{
    [Fact]
    public async Task A_flood_of_denials_from_one_source_is_one_event_and_one_counted_event()
    {
        var victim = await Seeding.CreateVictimAsync(fixture.Http, "flood");
        const int attempts = 40;
        for (var i = 0; i < attempts; i++)
        {
            // Anonymous reads of many patients: the ids vary, the source does not.
            using var response = await fixture.Http.GetAsync($"/api/clinics/{victim.ClinicId}/patients/pat-{i:x4}");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var denials = await WaitForAsync(victim.ClinicId, events => events.Where(e => e.Outcome == AuditOutcome.Denied).ToList(),
            list => list.Sum(e => e.ResultCount ?? 1) >= attempts);
        Assert.Equal(2, denials.Count);
        var first = Assert.Single(denials, e => e.QueryKind is null);
        Assert.Equal("pat-0000", first.PatientId);
        Assert.Equal(AuditAction.LoginFailure, first.Action);
        var counted = Assert.Single(denials, e => e.QueryKind == "denials-aggregated");
        Assert.Equal(attempts - 1, counted.ResultCount);
        Assert.Null(counted.PatientId);
        Assert.Equal("GetPatient", counted.Operation);
        Assert.Equal(401, counted.HttpStatus);
    }

    [Fact]
    public async Task An_overlong_id_in_a_body_is_hashed_before_it_reaches_the_audit_record()
    {
        var victim = await Seeding.CreateVictimAsync(fixture.Http, "longid");
        var longId = new string('p', 50_000);
        using var response = await EdgeLimitsTests.SendAsync(fixture.Http, HttpMethod.Post, $"/api/clinics/{victim.ClinicId}/appointments", SecurityFixture.AdminToken,
            $"{{\"patientId\":\"{longId}\",\"providerId\":\"{victim.ProviderId}\",\"appointmentType\":\"checkup\",\"start\":\"{victim.Start}\"}}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var events = await WaitForAsync(victim.ClinicId, all => all.Where(e => e.Operation == "BookAppointment" && e.HttpStatus == 400).ToList(), list => list.Count > 0);
        var recorded = Assert.Single(events);
        Assert.NotNull(recorded.PatientId);
        Assert.StartsWith("#", recorded.PatientId, StringComparison.Ordinal);
        Assert.Equal(33, recorded.PatientId!.Length);
    }

    private async Task<List<AuditEvent>> WaitForAsync(string clinicId, Func<IReadOnlyList<AuditEvent>, List<AuditEvent>> select, Func<List<AuditEvent>, bool> done)
    {
        var grains = fixture.Silo.Services.GetRequiredService<IGrainFactory>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var records = await grains.GetGrain<IAuditTrailGrain>(clinicId).QueryAsync(new AuditQuery(null, null, null, null, 0, 1000));
            var selected = select(records.Select(r => r.Event).ToList());
            if (done(selected) || DateTime.UtcNow > deadline)
            {
                // A moment more, so an event that should not exist has had the time to arrive.
                await Task.Delay(500);
                records = await grains.GetGrain<IAuditTrailGrain>(clinicId).QueryAsync(new AuditQuery(null, null, null, null, 0, 1000));
                return select(records.Select(r => r.Event).ToList());
            }

            await Task.Delay(250);
        }
    }
}
