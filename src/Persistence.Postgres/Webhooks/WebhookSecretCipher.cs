using ClinicCluster.Security;

namespace ClinicCluster.Persistence.Postgres.Webhooks;

/// <summary>
/// The signing secrets of <c>webhooks.subscription</c> at rest (decision 0053): each one encrypted
/// with the PHI key ring's envelope encryption (<see cref="IPhiProtector"/>), bound to its clinic and
/// subscription, so a copied ciphertext does not open under another subscription and a KEK rotation
/// (<c>encryption rotate</c>) re-encrypts them with everything else. A secret is not PHI, but anyone
/// holding it can forge events the subscriber trusts. Rows written before encryption (plaintext)
/// are still read; the rotation command encrypts them.
/// </summary>
public sealed class WebhookSecretCipher(IPhiProtector protector)
{
    public async Task<string[]> SealAsync(string clinicId, string subscriptionId, IReadOnlyList<string> secrets)
    {
        var field = PhiField.WebhookSigningSecret(clinicId, subscriptionId);
        var sealedSecrets = new string[secrets.Count];
        for (var i = 0; i < secrets.Count; i++)
        {
            sealedSecrets[i] = await protector.ProtectAsync(secrets[i], field);
        }

        return sealedSecrets;
    }

    public async Task<string[]> OpenAsync(string clinicId, string subscriptionId, IReadOnlyList<string> stored)
    {
        var field = PhiField.WebhookSigningSecret(clinicId, subscriptionId);
        var secrets = new string[stored.Count];
        for (var i = 0; i < stored.Count; i++)
        {
            secrets[i] = PhiCiphertext.IsProtected(stored[i]) ? await protector.UnprotectAsync(stored[i], field) : stored[i];
        }

        return secrets;
    }
}
