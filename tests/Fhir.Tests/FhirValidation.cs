using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace ClinicCluster.Fhir.Tests;

/// <summary>
/// Validates FHIR resources against the R4 base specification with the Firely validator. The
/// specification zip (Hl7.Fhir.Specification.Data.R4) is extracted once into a fixed directory
/// (not a new temp directory per run), and each thread gets its own <see cref="Validator"/>: it is
/// not thread-safe. Accepted warnings are listed, each with its reason, in validation-allowlist.txt.
/// </summary>
public static class FhirValidation
{
    private static readonly Lazy<IAsyncResourceResolver> Resolver = new(() =>
    {
        var zip = Path.Combine(AppContext.BaseDirectory, "specification.zip");
        var extractTo = Path.Combine(Path.GetTempPath(), "clinic-cluster-fhir-spec-r4-6.8.0");
        return new CachedResolver(new ZipSource(zip, extractTo));
    });

    private static readonly ThreadLocal<Validator> Validators = new(() =>
        new Validator(Resolver.Value, new LocalTerminologyService(Resolver.Value)));

    private static readonly Lazy<IReadOnlyList<string>> Allowlist = new(() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "validation-allowlist.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(" | ", 2)[0].Trim())
            .ToList());

    /// <summary>The issues that are errors, or warnings not in the allowlist, as readable lines (empty when valid).</summary>
    public static IReadOnlyList<string> Problems(Resource resource)
    {
        var outcome = Validators.Value!.Validate(resource);
        return outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal
                || (i.Severity == OperationOutcome.IssueSeverity.Warning && !Allowlist.Value.Any(a => Describe(i).Contains(a, StringComparison.Ordinal))))
            .Select(Describe)
            .ToList();
    }

    public static void AssertValid(Resource resource)
    {
        var problems = Problems(resource);
        Assert.True(problems.Count == 0, $"{resource.TypeName} does not validate against R4:\n{string.Join("\n", problems)}");
    }

    private static string Describe(OperationOutcome.IssueComponent issue) =>
        $"{issue.Severity} {issue.Code} {issue.Details?.Coding.FirstOrDefault()?.Code} {issue.Details?.Text ?? issue.Diagnostics} @ {string.Join(",", issue.Expression)}";
}
