using Microsoft.AspNetCore.Authorization;

namespace ClinicCluster.Api.Auth;

/// <summary>A role the caller holds in the route's clinic grants <see cref="Permission"/>.</summary>
public sealed record ClinicPermissionRequirement(Permission Permission) : IAuthorizationRequirement;
