using ClinicCluster.Common;

namespace ClinicCluster.Patients;

/// <summary>
/// The onboarding import's registrations (decision 0030). Each patient goes through its patient
/// grain's <see cref="IPatientGrain.CreateAsync"/>, so the MRN claim, the encrypted record and the
/// index entries are exactly a registration's. The patient id is a keyed hash of the MRN
/// (<see cref="PatientIndexKeys.ImportedPatientId"/>): a line imported again, after a failure or in
/// a re-sent file, reaches the same grain and finds it registered, so nothing is created twice.
/// Reentrant: it holds no state, and a stateless worker that is not takes one call at a time per
/// activation (one activation per core), which queued an import's batch past the call timeout.
/// </summary>
[StatelessWorker]
[Reentrant]
public sealed class PatientImportGrain(PatientIndexKeys keys, TimeProvider clock) : Grain, IPatientImportGrain
{
    public async Task<Result<ImportedPatient>> ImportAsync(PatientDemographics demographics)
    {
        // The rules first: an MRN that breaks them never becomes (a hash in) a grain key.
        if (PatientRules.Validate(demographics, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).ToError() is { } invalid)
        {
            return invalid;
        }

        var clinicId = this.GetPrimaryKeyString();
        var patientId = keys.ImportedPatientId(clinicId, demographics.Mrn);
        var created = await GrainFactory.GetGrain<IPatientGrain>(ClinicScopedKey.Format(clinicId, patientId)).CreateAsync(demographics);
        return created.Error?.Code switch
        {
            null => new ImportedPatient(patientId, created.Value),

            // Imported before (this id), or registered another way (the MRN's holder): nothing new.
            "patient-exists" => new ImportedPatient(patientId, null),
            "mrn-taken" => new ImportedPatient(
                (await GrainFactory.GetGrain<IPatientDirectoryGrain>(clinicId).FindByMrnAsync(demographics.Mrn))?.Id ?? patientId, null),
            _ => created.Error,
        };
    }
}
