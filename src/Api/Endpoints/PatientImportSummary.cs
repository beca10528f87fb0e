namespace ClinicCluster.Api.Endpoints;

/// <summary>
/// What an import request did. <see cref="Completed"/> false: it stopped early; send the file again
/// from <see cref="ResumeFromLine"/> (with <c>firstLine</c> set to it), or whole: lines already
/// registered are counted in <see cref="AlreadyRegistered"/>, not created again.
/// </summary>
public sealed record PatientImportSummary(
    int FirstLine,
    int Lines,
    int Created,
    int AlreadyRegistered,
    int Invalid,
    IReadOnlyList<PatientImportError> Errors,
    bool Completed,
    int? ResumeFromLine,
    string? StoppedBecause);
