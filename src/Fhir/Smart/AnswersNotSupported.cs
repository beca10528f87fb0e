namespace ClinicCluster.Fhir.Smart;

/// <summary>
/// Marks a FHIR route that answers <c>not-supported</c> (405) whatever the caller may do: it reads
/// and changes nothing, so it needs no SMART scope (a scope check would turn the honest 405 into a
/// 403) and it adds no scope to what smart-configuration advertises. The clinic role still applies.
/// </summary>
public sealed class AnswersNotSupported
{
    public static AnswersNotSupported Instance { get; } = new();

    private AnswersNotSupported()
    {
    }
}
