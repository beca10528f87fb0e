namespace ClinicCluster.Scheduling;

/// <summary>The persisted state of one appointment.</summary>
[GenerateSerializer, Alias("cc.AppointmentState")]
public sealed class AppointmentState
{
    [Id(0)]
    public Appointment? Current { get; set; }

    /// <summary>The visit type's buffer at booking time; the provider stays blocked for it after the visit.</summary>
    [Id(1)]
    public int BufferMinutes { get; set; }

    /// <summary>Fingerprint of the request body when the booking carried an idempotency key.</summary>
    [Id(2)]
    public string? RequestFingerprint { get; set; }

    /// <summary>The appointment as first booked: what a replay of the same request returns.</summary>
    [Id(3)]
    public Appointment? Original { get; set; }

    /// <summary>The clinic's IANA zone at booking time, for showing instants with the clinic's offset.</summary>
    [Id(4)]
    public string TimeZone { get; set; } = "UTC";
}
