using Microsoft.Extensions.Options;

namespace ClinicCluster.Api.Edge;

/// <summary>Every listed origin is an exact http(s) origin: a wildcard or a path would never match, or match too much.</summary>
internal sealed class CorsOptionsValidator : IValidateOptions<CorsOptions>
{
    public ValidateOptionsResult Validate(string? name, CorsOptions options) => options.AllowedOrigins.All(IsOrigin)
        ? ValidateOptionsResult.Success
        : ValidateOptionsResult.Fail($"{CorsOptions.SectionName}:{nameof(CorsOptions.AllowedOrigins)} must be absolute http(s) origins without a path, never '*'.");

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.AbsolutePath == "/"
        && !value.EndsWith('/') && string.IsNullOrEmpty(uri.Query);
}
