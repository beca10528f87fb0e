using System.Text;

namespace ClinicCluster.Security;

/// <summary>
/// Where a protected value lives: clinic, record kind, record id and field. It is the AES-GCM
/// associated data of every <c>phi2</c> ciphertext, so a value copied or swapped into another
/// record or field fails to decrypt. None of its parts is PHI (ids are opaque), so it may appear in
/// an integrity error.
/// </summary>
public readonly record struct PhiField(string ClinicId, string Record, string RecordId, string Field)
{
    public static PhiField PatientDemographics(string clinicId, string patientId) => new(clinicId, "patient", patientId, "demographics");

    /// <summary>A patient's search hit in the MRN registry, bound to the patient it names.</summary>
    public static PhiField MrnRegistryEntry(string clinicId, string patientId) => new(clinicId, "patient", patientId, "mrn-registry-entry");

    /// <summary>A patient's search hit in a name index partition, bound to the patient it names.</summary>
    public static PhiField NameIndexEntry(string clinicId, string patientId) => new(clinicId, "patient", patientId, "name-index-entry");

    /// <summary>A name index partition's snapshot (decision 0060), bound to the partition it was taken of.</summary>
    public static PhiField NameIndexSnapshot(string clinicId, string partition) => new(clinicId, "name-index", partition, "snapshot");

    public static PhiField AppointmentReason(string clinicId, string appointmentId) => new(clinicId, "appointment", appointmentId, "reason");

    public static PhiField AppointmentCancellationReason(string clinicId, string appointmentId) =>
        new(clinicId, "appointment", appointmentId, "cancellation-reason");

    /// <summary>
    /// A webhook subscription's signing secret (decision 0053): not PHI, but a credential that lets its
    /// holder forge the clinic's events, so it is kept under the same ring and rotates with it.
    /// </summary>
    public static PhiField WebhookSigningSecret(string clinicId, string subscriptionId) =>
        new(clinicId, "webhook-subscription", subscriptionId, "signing-secret");

    /// <summary>Length-prefixed parts after the ciphertext header: ("a", "bc") and ("ab", "c") never collide.</summary>
    public byte[] AssociatedData(string header)
    {
        var builder = new StringBuilder(header).Append('\n');
        foreach (var part in (ReadOnlySpan<string>)[ClinicId, Record, RecordId, Field])
        {
            builder.Append(part.Length).Append(':').Append(part).Append('|');
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public override string ToString() => $"{Record} field '{Field}'";
}
