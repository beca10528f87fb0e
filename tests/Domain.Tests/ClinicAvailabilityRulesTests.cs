using ClinicCluster.Scheduling;
using static ClinicCluster.Domain.Tests.SchedulingSamples;

namespace ClinicCluster.Domain.Tests;

/// <summary>Issue 24: the clinic-wide search's order, merge, cursor and limits as plain rules.</summary>
public sealed class ClinicAvailabilityRulesTests
{
    private static readonly DateOnly Day = new(2026, 6, 3);

    private static ClinicAvailabilityQuery Query(string? cursor = null, int limit = 20, string[]? providers = null, string? specialty = null) =>
        new("checkup", Day, Day.AddDays(6), providers, specialty, limit, cursor);

    private static ClinicSlot Slot(string provider, int minutes) => new(provider, Start.AddMinutes(minutes), Start.AddMinutes(minutes + 30));

    [Fact]
    public void Merge_orders_by_start_then_provider_and_stops_at_the_limit()
    {
        IReadOnlyList<ClinicSlot>[] lists =
        [
            [Slot("prv-b", 0), Slot("prv-b", 30), Slot("prv-b", 90)],
            [Slot("prv-a", 0), Slot("prv-a", 60)],
            [],
            [Slot("prv-c", 15)],
        ];

        var merged = ClinicSlotMerge.Earliest(lists, after: null, limit: 5);

        Assert.Equal(["prv-a@0", "prv-b@0", "prv-c@15", "prv-b@30", "prv-a@60"],
            merged.Select(s => $"{s.ProviderId}@{(s.Start - Start).TotalMinutes}"));
        Assert.Empty(ClinicSlotMerge.Earliest(lists, null, 0));
    }

    [Fact]
    public void Merge_after_a_position_continues_exactly_where_the_page_ended()
    {
        var random = new Random(24);
        var lists = Enumerable.Range(0, 7).Select(p => (IReadOnlyList<ClinicSlot>)Enumerable.Range(0, 40)
            .Where(_ => random.Next(3) > 0).Select(i => Slot($"prv-{p}", i * 15)).ToList()).ToList();
        var all = lists.SelectMany(l => l).Order(Comparer<ClinicSlot>.Create(SlotPosition.Compare)).ToList();

        var paged = new List<ClinicSlot>();
        SlotPosition? after = null;
        while (true)
        {
            var page = ClinicSlotMerge.Earliest(lists, after, 9);
            paged.AddRange(page);
            if (page.Count < 9)
            {
                break;
            }

            after = SlotPosition.Of(page[^1]);
        }

        Assert.Equal(all, paged);
    }

    [Fact]
    public void A_cursor_round_trips_and_refuses_tampering_and_other_queries()
    {
        var query = Query();
        var position = new SlotPosition(Start.AddMinutes(45), "prv-7");
        var cursor = AvailabilityCursor.Encode(position, AvailabilityCursor.Fingerprint(query));

        Assert.Equal(position, AvailabilityCursor.Decode(cursor, AvailabilityCursor.Fingerprint(query)));
        Assert.DoesNotContain("prv-7", cursor, StringComparison.Ordinal);
        Assert.DoesNotContain("checkup", cursor, StringComparison.Ordinal);

        // The limit may change between pages; providers are a set.
        Assert.NotNull(AvailabilityCursor.Decode(cursor, AvailabilityCursor.Fingerprint(query with { Limit = 5 })));
        Assert.Equal(AvailabilityCursor.Fingerprint(Query(providers: ["a", "b"])), AvailabilityCursor.Fingerprint(Query(providers: ["b", "a"])));

        var flipped = cursor.ToCharArray();
        for (var i = 0; i < flipped.Length; i++)
        {
            var copy = (char[])flipped.Clone();
            copy[i] = copy[i] == 'A' ? 'B' : 'A';
            Assert.Null(AvailabilityCursor.Decode(new string(copy), AvailabilityCursor.Fingerprint(query)));
        }

        Assert.Null(AvailabilityCursor.Decode(cursor, AvailabilityCursor.Fingerprint(query with { To = Day })));
        Assert.Null(AvailabilityCursor.Decode(cursor, AvailabilityCursor.Fingerprint(query with { Specialty = "x" })));
        foreach (var bad in new[] { "", "!", "AAAAA", "A", "a\u0000b", "====", new string('A', 201), cursor[..^2] })
        {
            Assert.Null(AvailabilityCursor.Decode(bad, AvailabilityCursor.Fingerprint(query)));
        }
    }

    [Theory]
    [InlineData("type", "")]
    [InlineData("type", "a\u0001b")]
    [InlineData("to", "before")]
    [InlineData("to", "too-wide")]
    [InlineData("limit", "0")]
    [InlineData("limit", "101")]
    [InlineData("providers", "empty")]
    [InlineData("providers", "bad")]
    [InlineData("providers", "too-many")]
    [InlineData("specialty", "\u0007")]
    [InlineData("specialty", "long")]
    [InlineData("cursor", "junk")]
    public void Each_bad_parameter_is_a_field_error(string field, string kind)
    {
        var query = (field, kind) switch
        {
            ("type", _) => Query() with { AppointmentType = kind },
            ("to", "before") => Query() with { To = Day.AddDays(-1) },
            ("to", _) => Query() with { To = Day.AddDays(ClinicAvailabilityLimits.MaxDays) },
            ("limit", _) => Query(limit: int.Parse(kind, System.Globalization.CultureInfo.InvariantCulture)),
            ("providers", "empty") => Query(providers: []),
            ("providers", "bad") => Query(providers: ["prv-1", "Bad Id"]),
            ("providers", _) => Query(providers: [.. Enumerable.Range(0, 51).Select(i => $"prv-{i}")]),
            ("specialty", "long") => Query(specialty: new string('a', 101)),
            ("specialty", _) => Query(specialty: kind),
            _ => Query(cursor: "bm90LWEtY3Vyc29y"),
        };

        var error = ClinicAvailabilityRules.Validate(query, out _);

        Assert.NotNull(error);
        Assert.Contains(field, error.Fields!.Keys);
    }

    [Fact]
    public void A_valid_query_passes_with_its_cursor_position()
    {
        Assert.Null(ClinicAvailabilityRules.Validate(Query(limit: 100, providers: ["prv-1"], specialty: "General"), out var none));
        Assert.Null(none);
        var cursor = AvailabilityCursor.Encode(new SlotPosition(Start, "prv-1"), AvailabilityCursor.Fingerprint(Query()));
        Assert.Null(ClinicAvailabilityRules.Validate(Query(cursor), out var after));
        Assert.Equal("prv-1", after!.Value.ProviderId);
    }
}
