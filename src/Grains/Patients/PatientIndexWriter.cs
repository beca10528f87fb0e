using ClinicCluster.Security;

namespace ClinicCluster.Patients;

/// <summary>
/// A new patient's MRN claim and name index entries as one write to <see cref="IPatientIndexStore"/>
/// (decision 0048): in PostgreSQL one statement, so one durable commit instead of three, and the
/// name entries are stored only if the claim is this patient's. The entries are exactly what
/// <see cref="MrnRegistryGrain.ClaimAsync"/> and <see cref="NameIndexGrain.UpsertAsync"/> write,
/// under the active blind-index generation; the name partitions take the entry into memory after
/// the record is stored (<see cref="INameIndexGrain.AddStoredAsync"/>).
/// </summary>
public sealed class PatientIndexWriter(IPatientIndexStore store, IPhiProtector protector, PatientIndexKeys keys)
{
    /// <summary>True when the patient holds the MRN afterwards (and its name entries are stored).</summary>
    public async Task<bool> ClaimWithNamesAsync(string clinicId, PatientSummary patient, IEnumerable<string> namePartitions)
    {
        var claim = new PatientIndexEntry(keys.MrnIndex(clinicId, patient.Mrn), patient.Id,
            await protector.ProtectAsync(patient, PhiField.MrnRegistryEntry(clinicId, patient.Id)));

        // One ciphertext for every partition: it is bound to the patient and the field, not the partition.
        var name = new PatientIndexEntry(patient.Id, patient.Id, await protector.ProtectAsync(patient, PhiField.NameIndexEntry(clinicId, patient.Id)));
        var names = namePartitions.Select(p => new PartitionedIndexEntry(p, name)).ToList();
        return await store.PutAsync(keys.Mrn(clinicId, patient.Mrn), claim, names) == patient.Id;
    }
}
