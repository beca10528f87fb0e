namespace ClinicCluster.Api.Endpoints;

/// <summary>A line that was not imported: its number, the rule (code) and the fields at fault, never the values.</summary>
public sealed record PatientImportError(int Line, string Code, IReadOnlyDictionary<string, string[]>? Fields);
