using ClinicCluster.Audit;

namespace ClinicCluster.Api.Audit;

/// <summary>
/// Endpoint metadata: this endpoint touches PHI and emits one audit event of this action about
/// this kind of resource. <see cref="AuditCoverage"/> refuses to start the API if a PHI endpoint
/// lacks one.
/// </summary>
public sealed record AuditDeclaration(AuditAction Action, string ResourceType);
