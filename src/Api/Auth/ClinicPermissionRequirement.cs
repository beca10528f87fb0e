using Microsoft.AspNetCore.Authorization;

namespace ClinicCluster.Api.Auth;

/// <summary>The caller's role grants <see cref="Permission"/> and its token names the route's clinic.</summary>
public sealed record ClinicPermissionRequirement(Permission Permission) : IAuthorizationRequirement;
