namespace ClinicCluster.Api.Edge;

/// <summary>Cross-origin access (section "Cors"): none unless origins are listed.</summary>
public sealed class CorsOptions
{
    public const string SectionName = "Cors";

    /// <summary>Exact origins (https://app.example.org) allowed to call the API from a browser.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
