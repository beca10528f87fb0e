using ClinicCluster.Security;

namespace ClinicCluster.Audit;

/// <summary>One chain key: its id (recorded in every row it links) and its 256-bit secret.</summary>
public sealed record AuditChainKey(string Id, byte[] Secret);

/// <summary>
/// The audit chain keys (<c>Audit:ChainKeyFile</c>, a key ring file mounted from a Secret, never
/// stored in the database): new links use the active key, verification any key still in the ring.
/// </summary>
public sealed class AuditChainKeys(KeyRing ring)
{
    public AuditChainKey Active => new(ring.ActiveKeyId, ring.ActiveKey);

    public AuditChainKey? Find(string keyId) => ring.Keys.TryGetValue(keyId, out var secret) ? new AuditChainKey(keyId, secret) : null;
}
