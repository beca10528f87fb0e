using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using ClinicCluster.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// A tampered PHI ciphertext in storage is a security event end to end: the read answers problem
/// <c>phi-integrity</c> (500, no detail), one audit event with outcome <c>integrity-failure</c>, the
/// counter the alert fires on; with the value restored the record reads again.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class PhiIntegrityTests(SecurityFixture fixture)
{
    [Fact]
    public async Task A_tampered_ciphertext_answers_phi_integrity_with_one_audit_event_and_a_counted_failure()
    {
        var victim = await Seeding.CreateVictimAsync(fixture.Http, "tamper");
        var key = $"{victim.ClinicId}/{victim.PatientId}";
        var path = $"/api/clinics/{victim.ClinicId}/patients/{victim.PatientId}";
        using (var before = await EdgeLimitsTests.SendAsync(fixture.Http, HttpMethod.Get, path, SecurityFixture.AdminToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var original = await DemographicsAsync(key);
        await WriteDemographicsAsync(key, Flip(original));
        await ForgetActivationsAsync();

        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "clinic.phi.integrity_failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();
        try
        {
            using var response = await EdgeLimitsTests.SendAsync(fixture.Http, HttpMethod.Get, path, SecurityFixture.AdminToken);
            var text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.EndsWith("/phi-integrity", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.Equal("phi-integrity", problem.GetProperty("code").GetString());
            // Nothing that tells an attacker which check failed, and no value or id.
            Assert.False(problem.TryGetProperty("detail", out _), text);
            foreach (var secret in new[] { "Vic", "Hostile", victim.PatientId, "integrity check", "demographics" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }

            Assert.Equal(1, Interlocked.Read(ref counted));
        }
        finally
        {
            await WriteDemographicsAsync(key, original);
            await ForgetActivationsAsync();
        }

        var events = await WaitForAsync(victim.ClinicId, e => e.Outcome == AuditOutcome.IntegrityFailure);
        var recorded = Assert.Single(events);
        Assert.Equal(victim.PatientId, recorded.PatientId);
        Assert.Equal(500, recorded.HttpStatus);
        Assert.Equal("GetPatient", recorded.Operation);

        // Restored, the record reads again: the failure broke nothing else.
        using var after = await EdgeLimitsTests.SendAsync(fixture.Http, HttpMethod.Get, path, SecurityFixture.AdminToken);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    /// <summary>One base64url character of the sealed payload changed: still well-formed, no longer authentic.</summary>
    private static string Flip(string ciphertext)
    {
        var at = ciphertext.Length - 10;
        return string.Concat(ciphertext.AsSpan(0, at), ciphertext[at] == 'A' ? "B" : "A", ciphertext.AsSpan(at + 1));
    }

    private async Task<string> DemographicsAsync(string key) =>
        await fixture.Database.ScalarAsync<string>(
            "SELECT payload #>> '{patient,demographics}' FROM orleans.grain_state WHERE grain_type = 'patient' AND grain_id_ext = @k", ("k", key));

    private async Task WriteDemographicsAsync(string key, string value) => Assert.Equal(1, await fixture.Database.ExecuteAsync(
        "UPDATE orleans.grain_state SET payload = jsonb_set(payload, '{patient,demographics}', to_jsonb(@v::text)) WHERE grain_type = 'patient' AND grain_id_ext = @k",
        ("v", value), ("k", key)));

    private Task ForgetActivationsAsync() => fixture.Silo.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    private async Task<List<AuditEvent>> WaitForAsync(string clinicId, Func<AuditEvent, bool> select)
    {
        var grains = fixture.Silo.Services.GetRequiredService<IGrainFactory>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var records = await grains.GetGrain<IAuditTrailGrain>(clinicId).QueryAsync(new AuditQuery(null, null, null, null, 0, 1000));
            var selected = records.Select(r => r.Event).Where(select).ToList();
            if (selected.Count > 0 || DateTime.UtcNow > deadline)
            {
                // A moment more, so a second event that should not exist has had the time to arrive.
                await Task.Delay(1000);
                records = await grains.GetGrain<IAuditTrailGrain>(clinicId).QueryAsync(new AuditQuery(null, null, null, null, 0, 1000));
                return records.Select(r => r.Event).Where(select).ToList();
            }

            await Task.Delay(250);
        }
    }
}
