namespace ClinicCluster.Api.Telemetry;

/// <summary>What became of a booking request (the <c>outcome</c> label of <c>clinic.bookings</c>).</summary>
public enum BookingOutcome
{
    /// <summary>201: a new appointment.</summary>
    Booked,

    /// <summary>200: a retry with the same Idempotency-Key answered with the existing appointment.</summary>
    Replayed,

    /// <summary>409: the slot, the provider or the patient was taken (a booking conflict).</summary>
    Conflict,

    /// <summary>422 or 403/404: refused by a rule (outside hours, unknown patient or provider, forbidden).</summary>
    Rejected,

    /// <summary>400: malformed request.</summary>
    Invalid,

    /// <summary>503: the cluster or the database could not take it; the client retries.</summary>
    Unavailable,

    /// <summary>Any other failure, including exceptions (a 500).</summary>
    Error,
}

internal static class BookingOutcomeLabels
{
    public static string Label(this BookingOutcome outcome) => outcome switch
    {
        BookingOutcome.Booked => "booked",
        BookingOutcome.Replayed => "replayed",
        BookingOutcome.Conflict => "conflict",
        BookingOutcome.Rejected => "rejected",
        BookingOutcome.Invalid => "invalid",
        BookingOutcome.Unavailable => "unavailable",
        _ => "error",
    };

    public static BookingOutcome FromStatus(int statusCode) => statusCode switch
    {
        StatusCodes.Status201Created => BookingOutcome.Booked,
        StatusCodes.Status200OK => BookingOutcome.Replayed,
        StatusCodes.Status409Conflict => BookingOutcome.Conflict,
        StatusCodes.Status422UnprocessableEntity or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound => BookingOutcome.Rejected,
        StatusCodes.Status400BadRequest => BookingOutcome.Invalid,
        StatusCodes.Status503ServiceUnavailable or StatusCodes.Status429TooManyRequests => BookingOutcome.Unavailable,
        _ => BookingOutcome.Error,
    };
}
