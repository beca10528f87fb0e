using System.Text.Json;
using ClinicCluster.Persistence.Postgres.GrainStorage;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Storage.Tests;

/// <summary>Issue 24: the waitlist's and a series' stored states survive the storage provider's JSON round trip.</summary>
public sealed class WaitlistAndSeriesStateTests
{
    private static readonly SystemTextJsonGrainStorageSerializer Serializer = new();

    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.FromHours(-4));

    [Fact]
    public void Waitlist_state_round_trips_with_its_open_and_closed_offers()
    {
        var state = new WaitlistState
        {
            Entries = [new WaitlistEntry("wle-1", "pat-1", "checkup", null, new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 7), 60, 2, 7, Start, "wof-1")],
            Offers =
            [
                new WaitlistOffer("wof-1", "wle-1", "pat-1", "prv-1", "checkup", Start, Start.AddMinutes(30), Start.AddMinutes(-60), WaitlistOfferStatus.Placing, CreatedAt: Start.AddMinutes(-75)),
                new WaitlistOffer("wof-0", "wle-0", "pat-0", "prv-1", "checkup", Start, Start.AddMinutes(30), Start, WaitlistOfferStatus.Accepted, "hld-x", "apt-1"),
            ],
            NextSequence = 8,
        };

        var json = RoundTrip(state, out var copy);

        Assert.Equal(state.Entries, copy.Entries);
        Assert.Equal(state.Offers, copy.Offers);
        Assert.Equal(8, copy.NextSequence);
        Assert.True(copy.Offers[0].IsOpen);
        Assert.Contains("\"status\":\"placing\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isOpen", json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Series_state_round_trips_with_its_request_and_occurrences()
    {
        var request = new BookSeries("pat-1", "prv-1", "checkup", Start, "FREQ=WEEKLY;COUNT=2", SeriesMode.BookWhatIsFree, "course");
        var state = new SeriesState
        {
            Request = request,
            Series = new AppointmentSeries("ser-1", "c-1", "pat-1", "prv-1", "checkup", request.Rule, request.Mode,
                [new SeriesOccurrence(0, Start, "apt-a", SeriesOccurrenceStatus.Booked), new SeriesOccurrence(1, Start.AddDays(7), "apt-b", SeriesOccurrenceStatus.Skipped, "provider-busy")],
                Start),
        };

        var json = RoundTrip(state, out var copy);

        Assert.Equal(request, copy.Request);
        Assert.Equal(state.Series.Occurrences, copy.Series!.Occurrences);
        Assert.Contains("\"mode\":\"book-what-is-free\"", json, StringComparison.Ordinal);
    }

    private static string RoundTrip<T>(T state, out T copy)
    {
        var json = Serializer.Serialize(state).ToString();
        copy = Serializer.Deserialize<T>(BinaryData.FromString(json));
        Assert.Equal(json, Serializer.Serialize(copy).ToString());
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return json;
    }
}
