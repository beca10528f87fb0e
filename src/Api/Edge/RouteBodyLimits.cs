namespace ClinicCluster.Api.Edge;

/// <summary>A route's own request body limit, in bytes.</summary>
public sealed record BodyLimit(long Bytes);

/// <summary>Marks a route that accepts <see cref="RequestLimitOptions.MaxLargeBodyBytes"/>.</summary>
public sealed record LargeBody;
