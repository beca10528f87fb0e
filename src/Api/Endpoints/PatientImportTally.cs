namespace ClinicCluster.Api.Endpoints;

/// <summary>One import request's counts and the first <see cref="PatientImport.MaxReportedErrors"/> errors, and the summary made of them.</summary>
internal sealed class PatientImportTally(int firstLine)
{
    private readonly List<PatientImportError> _errors = [];

    public int Lines { get; set; }

    public int Created { get; set; }

    public int AlreadyRegistered { get; set; }

    public int Invalid { get; private set; }

    public void Fail(int line, string code, IReadOnlyDictionary<string, string[]>? fields)
    {
        Invalid++;
        if (_errors.Count < PatientImport.MaxReportedErrors)
        {
            _errors.Add(new PatientImportError(line, code, fields));
        }
    }

    public PatientImportSummary Done() => new(firstLine, Lines, Created, AlreadyRegistered, Invalid, _errors, Completed: true, ResumeFromLine: null, StoppedBecause: null);

    public PatientImportSummary Stop(int resumeFrom, string reason) =>
        new(firstLine, Lines, Created, AlreadyRegistered, Invalid, _errors, Completed: false, resumeFrom, reason);
}
