using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ClinicCluster.Api.Hosting;

/// <summary>Declares the JWT bearer scheme and requires it on every operation of the document.</summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    private const string SchemeName = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Clinic Cluster API",
            Version = "v1",
            Description = "Book, move and cancel clinic appointments without double booking. Every endpoint needs a JWT bearer token "
                + "whose claims name the caller's role and clinics. Errors are RFC 7807 problem details.",
            License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://clinic-cluster.dev/license") },
        };
        document.Servers = [new OpenApiServer { Url = "http://localhost:5080", Description = "Local development" }];

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A token with claims sub, role (admin, frontdesk, clinician, auditor) and clinic (one per clinic).",
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] },
        ];
        return Task.CompletedTask;
    }
}
