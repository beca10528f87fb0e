using ClinicCluster.Common;
using ClinicCluster.Scheduling;

namespace ClinicCluster.Domain.Tests;

/// <summary>Issue 21: a calendar's appointment list pages by keyset (start, then id), never by offset.</summary>
public sealed class AppointmentListRulesTests
{
    private const string Calendar = "patient-calendar/pat-1@clinic-a";
    private static readonly DateTimeOffset Start = new(2027, 3, 1, 14, 0, 0, TimeSpan.Zero);

    private static AppointmentSummary Visit(string id, int day) =>
        new(id, "pat-1", "prv-1", "checkup", Start.AddDays(day), Start.AddDays(day).AddMinutes(30), AppointmentStatus.Fulfilled);

    [Fact]
    public void A_page_asks_the_ledger_for_one_row_more_and_gives_a_cursor_only_when_it_came()
    {
        var query = new AppointmentListQuery(Limit: 2);
        var ledgerPage = AppointmentListRules.ToLedgerPage(query, Calendar).Value!;
        Assert.Equal(3, ledgerPage.Limit);
        Assert.Null(ledgerPage.After);
        Assert.Equal((DateTimeOffset.MinValue, DateTimeOffset.MaxValue), (ledgerPage.From, ledgerPage.To));

        var last = AppointmentListRules.ToPage([Visit("apt-1", 0), Visit("apt-2", 1)], query, Calendar);
        Assert.Equal(2, last.Items.Count);
        Assert.Null(last.NextCursor);

        var full = AppointmentListRules.ToPage([Visit("apt-1", 0), Visit("apt-2", 1), Visit("apt-3", 2)], query, Calendar);
        Assert.Equal(["apt-1", "apt-2"], full.Items.Select(i => i.Id));
        var next = AppointmentListRules.ToLedgerPage(query with { Cursor = full.NextCursor }, Calendar).Value!;
        Assert.Equal(new LedgerPosition(Start.AddDays(1), "apt-2"), next.After);
    }

    [Fact]
    public void A_cursor_is_refused_on_another_calendar_or_window_or_when_altered_but_the_limit_may_change()
    {
        var query = new AppointmentListQuery(From: Start, Limit: 1);
        var cursor = AppointmentListRules.ToPage([Visit("apt-1", 0), Visit("apt-2", 1)], query, Calendar).NextCursor!;
        Assert.DoesNotContain("apt-1", cursor, StringComparison.Ordinal);

        Assert.True(AppointmentListRules.ToLedgerPage(query with { Cursor = cursor, Limit = 50 }, Calendar).IsSuccess);
        foreach (var (other, calendar) in new[]
        {
            (query with { Cursor = cursor }, "patient-calendar/pat-2@clinic-a"),
            (query with { Cursor = cursor }, "patient-calendar/pat-1@clinic-b"),
            (query with { Cursor = cursor }, "provider-calendar/pat-1@clinic-a"),
            (query with { Cursor = cursor, From = null }, Calendar),
            (query with { Cursor = cursor, To = Start.AddDays(9) }, Calendar),
            (query with { Cursor = cursor[..^1] + (cursor[^1] == 'A' ? 'B' : 'A') }, Calendar),
            (query with { Cursor = "" }, Calendar),
            (query with { Cursor = new string('A', AppointmentListQuery.MaxCursorLength + 1) }, Calendar),
        })
        {
            var error = AppointmentListRules.ToLedgerPage(other, calendar).Error;
            Assert.Equal(ErrorKind.Validation, error?.Kind);
            Assert.Contains("cursor", error!.Fields!.Keys);
        }
    }

    [Theory]
    [InlineData(0, "limit")]
    [InlineData(AppointmentListQuery.MaxLimit + 1, "limit")]
    [InlineData(-1, "limit")]
    public void Limits_outside_the_documented_range_are_refused(int limit, string field)
    {
        var error = AppointmentListRules.ToLedgerPage(new AppointmentListQuery(Limit: limit), Calendar).Error;
        Assert.Contains(field, error!.Fields!.Keys);
    }

    [Fact]
    public void A_window_that_ends_before_it_starts_is_refused()
    {
        var error = AppointmentListRules.ToLedgerPage(new AppointmentListQuery(From: Start, To: Start.AddDays(-1)), Calendar).Error;
        Assert.Contains("to", error!.Fields!.Keys);
    }
}

/// <summary>The one cursor codec: a list ordered by instant alone (FHIR Slot pages) and one ordered by instant and id.</summary>
public sealed class KeysetCursorTests
{
    private static readonly DateTimeOffset At = new(2027, 3, 1, 14, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Positions_round_trip_and_a_cursor_of_the_other_shape_or_domain_does_not_decode()
    {
        var byInstant = new KeysetCursor("test/by-instant/v1", 64, withId: false);
        var byInstantAndId = new KeysetCursor("test/by-instant-and-id/v1", 200);

        var plain = byInstant.Encode(At, "", 7);
        var keyed = byInstantAndId.Encode(At, "apt-1", 7);
        Assert.Equal((At, ""), byInstant.Decode(plain, 7));
        Assert.Equal((At, "apt-1"), byInstantAndId.Decode(keyed, 7));

        Assert.Null(byInstant.Decode(keyed, 7));
        Assert.Null(byInstantAndId.Decode(plain, 7));
        Assert.Null(new KeysetCursor("test/other/v1", 200).Decode(keyed, 7));
        Assert.Null(byInstantAndId.Decode(keyed, 8));
        Assert.Throws<ArgumentException>(() => byInstant.Encode(At, "apt-1", 7));
        Assert.Throws<ArgumentException>(() => byInstantAndId.Encode(At, "", 7));
    }
}
