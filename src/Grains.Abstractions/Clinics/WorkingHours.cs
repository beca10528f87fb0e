namespace ClinicCluster.Clinics;

/// <summary>One weekly working window in clinic local time; windows do not cross midnight.</summary>
[GenerateSerializer, Immutable, Alias("cc.WorkingHours")]
public sealed record WorkingHours(
    [property: Id(0)] DayOfWeek Day,
    [property: Id(1)] TimeOnly Start,
    [property: Id(2)] TimeOnly End);
