namespace ClinicCluster.Clinics;

/// <summary>A kind of visit the clinic offers. The buffer follows each visit and blocks the provider.</summary>
[GenerateSerializer, Immutable, Alias("cc.AppointmentType")]
public sealed record AppointmentType(
    [property: Id(0)] string Name,
    [property: Id(1)] int DurationMinutes,
    [property: Id(2)] int BufferMinutes = 0);
