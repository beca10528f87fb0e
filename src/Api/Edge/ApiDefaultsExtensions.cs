using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ClinicCluster.Api.Endpoints;
using ClinicCluster.Api.Problems;
using Microsoft.AspNetCore.ResponseCompression;

namespace ClinicCluster.Api.Edge;

/// <summary>The HTTP surface of the API: JSON, problem details, compression and the OpenAPI document.</summary>
public static class ApiDefaultsExtensions
{
    public static WebApplicationBuilder AddApiDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            // Missing or null required fields fail binding (400 naming the field) instead of
            // reaching a grain as nulls.
            o.SerializerOptions.RespectNullableAnnotations = true;
            o.SerializerOptions.RespectRequiredConstructorParameters = true;

            // ...but a nullable parameter (an optional address line) may be left out of the JSON.
            o.SerializerOptions.TypeInfoResolver = (o.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(static type =>
                {
                    foreach (var property in type.Properties)
                    {
                        if (property.AssociatedParameter is { IsNullable: true })
                        {
                            property.IsRequired = false;
                        }
                    }
                });
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            o.SerializerOptions.Converters.Add(new StrictDateTimeOffsetConverter());
        });

        // Unreadable requests throw instead of answering a bare 400, so the handler below can name the field.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? c.HttpContext.TraceIdentifier;

            // A chunked body over the route's limit is cut off by the server while the handler
            // binds it; the framework then answers a bare 413, named here like every other refusal.
            if (c.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge && !c.ProblemDetails.Extensions.ContainsKey("code"))
            {
                c.ProblemDetails.Type = ApiResults.ProblemTypeBase + "body-too-large";
                c.ProblemDetails.Detail = "The request body is larger than this route accepts.";
                c.ProblemDetails.Extensions["code"] = "body-too-large";
            }
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<PhiIntegrityExceptionHandler>();
        builder.Services.AddExceptionHandler<StorageUnavailableExceptionHandler>();
        builder.Services.AddExceptionHandler<ClusterUnavailableExceptionHandler>();

        builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<IdRouteConstraint>(IdRouteConstraint.Name));
        builder.Services.AddSingleton<KnownClinics>();

        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["application/problem+json"]);
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);

        builder.Services.AddApiDocuments();
        builder.AddEdgeLimits();
        builder.AddConnectionLimits();
        return builder;
    }

    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        app.UseEdgeResponses();
        app.UseResponseCompression();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseEdgeRateLimits();
        app.UseAuthorization();

        app.MapApiDocuments();
        return app;
    }
}
