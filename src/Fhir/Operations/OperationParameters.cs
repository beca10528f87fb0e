using System.Globalization;
using ClinicCluster.Fhir.Hosting;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;

namespace ClinicCluster.Fhir.Operations;

/// <summary>
/// An operation's input as (name, text) pairs, from the query string (GET) or a <c>Parameters</c>
/// body (POST): dates, strings, codes and ids as written, a reference as its reference, a coding
/// as <c>system|code</c>, a resource (Argonaut's patient) as <c>Type/id</c>.
/// </summary>
public static class OperationParameters
{
    public static async Task<(IReadOnlyList<(string Name, string Value)>? Values, Parameters? Body, FhirResult? Error)> ReadAsync(HttpRequest request)
    {
        var values = request.Query.Where(q => q.Key != "_format")
            .SelectMany(q => q.Value.Select(v => (q.Key, v ?? ""))).ToList();
        if (!HttpMethods.IsPost(request.Method))
        {
            return (values, null, null);
        }

        var (body, error) = await FhirBody.ReadAsync<Parameters>(request, "Parameters");
        if (body is null)
        {
            return (null, null, error);
        }

        foreach (var parameter in body.Parameter)
        {
            if (Text(parameter) is not { } text)
            {
                return (null, null, FhirOutcomes.Invalid("A parameter has a value of a type this operation does not take."));
            }

            values.Add((parameter.Name ?? "", text));
        }

        return (values, body, null);
    }

    private static string? Text(Parameters.ParameterComponent parameter) => parameter.Value switch
    {
        Date d => d.Value,
        FhirDateTime d => d.Value,
        Instant i => i.Value?.ToString("o", CultureInfo.InvariantCulture),
        FhirString s => s.Value,
        Code c => c.Value,
        Id i => i.Value,
        FhirUri u => u.Value,
        Integer n => n.Value?.ToString(CultureInfo.InvariantCulture),
        PositiveInt n => n.Value?.ToString(CultureInfo.InvariantCulture),
        ResourceReference r => r.Reference,
        Coding c => c.System is null ? c.Code : $"{c.System}|{c.Code}",
        CodeableConcept { Coding: [var c] } => c.System is null ? c.Code : $"{c.System}|{c.Code}",
        CodeableConcept { Coding: [], Text: { } t } => t,
        null when parameter.Resource is { } r => r.Id is { } id ? $"{r.TypeName}/{id}" : null,
        _ => null,
    };
}
