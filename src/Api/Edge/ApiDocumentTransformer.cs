using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ClinicCluster.Api.Edge;

/// <summary>Describes the API in the OpenAPI document: info, tags, and the JWT bearer scheme required on every operation.</summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    private const string SchemeName = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Clinic Cluster API",
            Version = "v1",
            Description = "Book, move and cancel clinic appointments without double booking. Every endpoint needs a JWT bearer token "
                + "whose clinic_roles claim grants the caller a role per clinic. Errors are RFC 7807 problem details.",
            License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://clinic-cluster.dev/license") },
        };
        document.Servers = [new OpenApiServer { Url = "/", Description = "The host serving this document" }];
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = "Clinics", Description = "Clinic settings, providers and their open slots (no PHI)." },
            new() { Name = "Patients", Description = "Patient registration, lookup and search (PHI)." },
            new() { Name = "Appointments", Description = "Booking and the appointment lifecycle (PHI)." },
            new() { Name = "Audit", Description = "The PHI access audit trail and accounting of disclosures (auditors)." },
        };

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A token with claims sub and clinic_roles: one \"{clinicId}:{role}\" per grant (roles admin, frontdesk, clinician, auditor, security-officer; \"*\" as the clinic for every clinic).",
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] },
        ];
        DropNullFromSharedEnums(document.Components);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A nullable enum property (Appointment.cancellationCode) comes out as oneOf [null, $ref] while the
    /// shared enum schema also lists null, so a null matches both branches and fails oneOf. Each nullable
    /// use already says null; the shared schema keeps only the values.
    /// </summary>
    private static void DropNullFromSharedEnums(OpenApiComponents components)
    {
        foreach (var schema in components.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            if (schema.Enum is { Count: > 0 } values && values.Any(IsNull))
            {
                schema.Enum = [.. values.Where(v => !IsNull(v))];
            }
        }

        static bool IsNull(System.Text.Json.Nodes.JsonNode? value) =>
            value is null || value.GetValueKind() == System.Text.Json.JsonValueKind.Null;
    }
}
