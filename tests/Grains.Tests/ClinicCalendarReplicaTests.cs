using ClinicCluster.Common;
using ClinicCluster.Scheduling;
using Orleans.Core.Internal;

namespace ClinicCluster.Grains.Tests;

/// <summary>
/// Decision 0059: the clinic-wide search reads the clinic's replica of the calendars' busy time. It
/// must answer what the calendars would, see a hold as soon as the hold call returned, rebuild after
/// a deactivation, and answer a calendar whose publication failed by asking it directly.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClinicCalendarReplicaTests(ClusterFixture fixture)
{
    private const int Providers = 50;
    private static readonly DateOnly From = TestClinic.Day(30);
    private static readonly DateOnly To = TestClinic.Day(43);

    private readonly IGrainFactory _grains = fixture.GrainFactory;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Replica_page_equals_the_merge_of_50_calendars_after_bookings_cancellations_reschedules_and_holds(int seed)
    {
        var random = new Random(seed);
        var (clinic, providers) = await ClinicOfAsync(random);
        var warm = await WarmAsync(clinic);

        await ChurnAsync(clinic, providers, random, 120);

        // Holds of one minute expire; the replica checks expiry when it reads, as the calendars do.
        TestClinic.AdvanceClockTo(ClusterFixture.Clock.GetUtcNow().AddSeconds(61));
        await AssertAgreesAsync(clinic, providers, random);

        // Every change came by publication: no calendar was asked again.
        Assert.Equal(warm.DirectAsks, (await ClinicSearch.Replica(clinic).GetStatusAsync()).DirectAsks);
    }

    [Fact]
    public async Task A_hold_is_out_of_the_clinic_search_once_the_hold_call_returned_and_back_when_it_ends()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var patient = await clinic.AddPatientAsync();
        var warm = await WarmAsync(clinic);
        var start = TestClinic.Local(From, 10);
        var calendar = clinic.ProviderSchedule(provider);
        var query = new ClinicAvailabilityQuery(TestClinic.Checkup, From, From, Limit: 100);

        var hold = ResultAssert.Success(await calendar.PlaceHoldAsync(new PlaceHold(patient, provider, TestClinic.Checkup, start, Minutes: 1)));
        Assert.DoesNotContain(start, (await ClinicSearch.AllPagesAsync(clinic, query)).Select(s => s.Start));

        ResultAssert.Success(await calendar.ReleaseHoldAsync(hold.Id));
        Assert.Contains(start, (await ClinicSearch.AllPagesAsync(clinic, query)).Select(s => s.Start));

        var again = ResultAssert.Success(await calendar.PlaceHoldAsync(new PlaceHold(patient, provider, TestClinic.Checkup, start, Minutes: 1)));
        Assert.DoesNotContain(start, (await ClinicSearch.AllPagesAsync(clinic, query)).Select(s => s.Start));
        TestClinic.AdvanceClockTo(again.ExpiresAt);
        Assert.Contains(start, (await ClinicSearch.AllPagesAsync(clinic, query)).Select(s => s.Start));

        // All of it from publications and read-time expiry: the calendar was asked only to fill the replica.
        Assert.Equal(warm.DirectAsks, (await ClinicSearch.Replica(clinic).GetStatusAsync()).DirectAsks);
    }

    [Fact]
    public async Task A_replica_deactivated_mid_way_rebuilds_and_answers_the_same()
    {
        var random = new Random(7);
        var (clinic, providers) = await ClinicOfAsync(random);
        await WarmAsync(clinic);
        await ChurnAsync(clinic, providers, random, 40);

        var replica = ClinicSearch.Replica(clinic);
        await replica.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await WaitForAsync(async () => (await replica.GetStatusAsync()).DirectAsks == 0, "the replica was not deactivated");

        // The new activation hears from the calendars that change, and asks the others on its first search.
        await ChurnAsync(clinic, providers, random, 20);
        var heard = (await replica.GetStatusAsync()).Versions.Count;
        Assert.InRange(heard, 1, Providers - 1);
        await AssertAgreesAsync(clinic, providers, random);
        Assert.Equal(Providers - heard, (await replica.GetStatusAsync()).DirectAsks);
    }

    [Fact]
    public async Task A_calendar_whose_publication_failed_is_asked_directly_and_publishes_again_later()
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var provider = await clinic.AddProviderAsync();
        var patient = await clinic.AddPatientAsync();
        var replica = ClinicSearch.Replica(clinic);
        var warm = await WarmAsync(clinic);
        var calendar = clinic.ProviderSchedule(provider);
        var query = new ClinicAvailabilityQuery(TestClinic.Checkup, From, From, Limit: 100);

        // The booking succeeds although both its publications fail (hold and record).
        ClusterFixture.ReplicaFaults.Arm(clinic.Id, provider, times: 2);
        var booked = ResultAssert.Success(await clinic.BookAsync(patient, provider, TestClinic.Local(From, 9)));
        Assert.DoesNotContain(provider, (await replica.GetStatusAsync()).Versions.Keys);

        // The replica no longer vouches for the provider: the search asks the calendar, and agrees with it.
        Assert.Equal(await ClinicSearch.CalendarsAsync(clinic, [provider], From, From), await ClinicSearch.AllPagesAsync(clinic, query));
        Assert.DoesNotContain(booked.Start, (await ClinicSearch.AllPagesAsync(clinic, query)).Select(s => s.Start));
        var asked = await replica.GetStatusAsync();
        Assert.Equal(warm.DirectAsks + 1, asked.DirectAsks);

        // A hold whose publication fails is still hidden (asked directly), and the calendar's timer publishes it again.
        ClusterFixture.ReplicaFaults.Arm(clinic.Id, provider);
        var start = TestClinic.Local(From, 11);
        ResultAssert.Success(await calendar.PlaceHoldAsync(new PlaceHold(patient, provider, TestClinic.Checkup, start)));
        Assert.DoesNotContain(provider, (await replica.GetStatusAsync()).Versions.Keys);
        TestClinic.AdvanceClockTo(ClusterFixture.Clock.GetUtcNow().AddSeconds(61));
        await WaitForAsync(async () => (await replica.GetStatusAsync()).Versions.ContainsKey(provider), "the calendar did not publish again");

        Assert.Equal(asked.DirectAsks, (await replica.GetStatusAsync()).DirectAsks);
        var found = await ClinicSearch.AllPagesAsync(clinic, query);
        Assert.DoesNotContain(start, found.Select(s => s.Start));
        Assert.Equal(await ClinicSearch.CalendarsAsync(clinic, [provider], From, From), found);
    }

    private async Task<(TestClinic Clinic, List<string> Providers)> ClinicOfAsync(Random random)
    {
        var clinic = await TestClinic.CreateAsync(_grains);
        var providers = new List<string>();
        for (var i = 0; i < Providers; i++)
        {
            var start = new TimeOnly(8 + random.Next(3), 15 * random.Next(4));
            providers.Add(await clinic.AddProviderAsync(start, start.AddHours(2 + random.Next(5))));
        }

        return (clinic, providers);
    }

    /// <summary>A first search fills the replica (one direct ask per provider).</summary>
    private static async Task<ReplicaStatus> WarmAsync(TestClinic clinic)
    {
        await ClinicSearch.AllPagesAsync(clinic, new ClinicAvailabilityQuery(TestClinic.Checkup, From, From, Limit: 1));
        return await ClinicSearch.Replica(clinic).GetStatusAsync();
    }

    /// <summary>Random bookings, cancellations, reschedules, holds (of one to three minutes) and releases.</summary>
    private static async Task ChurnAsync(TestClinic clinic, List<string> providers, Random random, int steps)
    {
        var patients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => clinic.AddPatientAsync()));
        var booked = new List<string>();
        var holds = new List<CheckoutHold>();
        for (var i = 0; i < steps; i++)
        {
            var provider = providers[random.Next(providers.Count)];
            var patient = patients[random.Next(patients.Length)];
            var start = TestClinic.Local(From.AddDays(random.Next(14)), 8 + random.Next(9), 15 * random.Next(4));
            switch (random.Next(6))
            {
                case 0 or 1:
                    var appointment = await clinic.BookAsync(patient, provider, start);
                    if (appointment.IsSuccess)
                    {
                        booked.Add(appointment.Value!.Id);
                    }

                    break;
                case 2 when booked.Count > 0:
                    await clinic.Appointment(booked[random.Next(booked.Count)]).CancelAsync(null, null);
                    break;
                case 3 when booked.Count > 0:
                    await clinic.Appointment(booked[random.Next(booked.Count)]).RescheduleAsync(start);
                    break;
                case 4:
                    var hold = await clinic.ProviderSchedule(provider).PlaceHoldAsync(new PlaceHold(patient, provider, TestClinic.Checkup, start, 1 + random.Next(3)));
                    if (hold.IsSuccess)
                    {
                        holds.Add(hold.Value!);
                    }

                    break;
                case 5 when holds.Count > 0:
                    var released = holds[random.Next(holds.Count)];
                    await clinic.ProviderSchedule(released.ProviderId).ReleaseHoldAsync(released.Id);
                    break;
            }
        }
    }

    private static async Task AssertAgreesAsync(TestClinic clinic, List<string> providers, Random random)
    {
        var expected = await ClinicSearch.CalendarsAsync(clinic, providers, From, To);
        var found = await ClinicSearch.AllPagesAsync(clinic, new ClinicAvailabilityQuery(TestClinic.Checkup, From, To, Limit: 50 + random.Next(51)));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, found);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string failure)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail(failure);
    }
}
