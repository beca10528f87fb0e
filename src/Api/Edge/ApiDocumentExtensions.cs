using Scalar.AspNetCore;

namespace ClinicCluster.Api.Edge;

/// <summary>The OpenAPI document (served to anyone at /openapi/v1.json) and, in Development only, the interactive reference at /docs.</summary>
internal static class ApiDocumentExtensions
{
    public static IServiceCollection AddApiDocuments(this IServiceCollection services)
    {
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<ApiDocumentTransformer>();

            // The custom converter hides the type from the generator, which then emits only the format.
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(DateTimeOffset))
                {
                    schema.Type = Microsoft.OpenApi.JsonSchemaType.String;
                    schema.Format = "date-time";
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static WebApplication MapApiDocuments(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference("/docs", o => o.WithTitle("Clinic Cluster API")).AllowAnonymous();
        }

        return app;
    }
}
