using ClinicCluster.Common;

namespace ClinicCluster.Scheduling;

/// <summary>
/// The rules of a calendar's appointment list (<see cref="AppointmentListQuery"/>): its bounds, its
/// cursor (<see cref="KeysetCursor"/>, bound to the calendar and the window, so a cursor of another
/// patient or another window is refused), and the page it answers. The ledger is asked for one row
/// more than the limit: a next cursor is given only when that row exists, so the last page is never
/// followed by an empty one.
/// </summary>
public static class AppointmentListRules
{
    private static readonly KeysetCursor Codec = new("clinic-cluster/appointment-list-cursor/v1", AppointmentListQuery.MaxCursorLength);

    /// <summary>
    /// The ledger page that answers <paramref name="query"/> on the calendar named by
    /// <paramref name="calendar"/> (its owner kind, clinic and id), or the fields that are wrong.
    /// </summary>
    public static Result<LedgerPage> ToLedgerPage(AppointmentListQuery query, string calendar)
    {
        var (from, to) = (query.From ?? DateTimeOffset.MinValue, query.To ?? DateTimeOffset.MaxValue);
        var errors = new ValidationErrors()
            .Range(query.Limit, "limit", 1, AppointmentListQuery.MaxLimit)
            .When(from > to, "to", "'to' must not be before 'from'.");
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }

        LedgerPosition? after = null;
        if (query.Cursor is { } cursor)
        {
            if (Codec.Decode(cursor, Fingerprint(query, calendar)) is not { } position)
            {
                return Error.Validation("cursor", "Not a cursor of this list: send the nextCursor a previous page returned, with the same from and to.");
            }

            after = new LedgerPosition(position.At, position.Id);
        }

        return new LedgerPage(from, to, after, query.Limit + 1);
    }

    /// <summary>The page of <paramref name="rows"/> (read with <see cref="ToLedgerPage"/>'s limit, one more than asked).</summary>
    public static AppointmentListPage ToPage(IReadOnlyList<AppointmentSummary> rows, AppointmentListQuery query, string calendar)
    {
        if (rows.Count <= query.Limit)
        {
            return new AppointmentListPage(rows, null);
        }

        var items = rows.Take(query.Limit).ToList();
        return new AppointmentListPage(items, Codec.Encode(items[^1].Start, items[^1].Id, Fingerprint(query, calendar)));
    }

    /// <summary>The list's identity for its cursors: the calendar and the window. The limit may change between pages.</summary>
    private static ulong Fingerprint(AppointmentListQuery query, string calendar) =>
        KeysetCursor.Fingerprint(string.Join('\n', calendar, query.From?.UtcTicks, query.To?.UtcTicks));
}
