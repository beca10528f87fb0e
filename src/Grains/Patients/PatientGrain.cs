using ClinicCluster.Common;
using ClinicCluster.Security;

namespace ClinicCluster.Patients;

/// <summary>
/// A patient's record. The MRN is claimed in the clinic's registry before the record is stored, so
/// two registrations with one MRN cannot both succeed; the name index follows the stored record.
/// A new patient's claim carries its name entries in the same store write (decision 0048): two
/// durable commits (index, record) instead of four, the name partitions told after the record is
/// stored. The demographics are stored encrypted and kept decrypted in memory while the grain is active.
/// </summary>
public sealed class PatientGrain(
    [PersistentState("patient", StorageNames.Patients)] IPersistentState<PatientState> state,
    IPhiProtector protector,
    PatientIndexKeys keys,
    PatientIndexWriter writer,
    TimeProvider clock) : Grain, IPatientGrain
{
    private string _clinicId = "";
    private string _patientId = "";
    private Patient? _patient;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_clinicId, _patientId) = ClinicScopedKey.Parse(this.GetPrimaryKeyString());
        if (state.State.Patient is { } stored)
        {
            var demographics = await protector.UnprotectAsync<PatientDemographics>(stored.Demographics,
                PhiField.PatientDemographics(_clinicId, _patientId), cancellationToken);
            _patient = new Patient(stored.Id, stored.ClinicId, demographics, stored.CreatedAt, stored.UpdatedAt, Math.Max(1, stored.Version));
        }

        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<Result<Patient>> CreateAsync(PatientDemographics demographics)
    {
        if (_patient is not null)
        {
            return Error.Conflict("patient-exists", "A patient with this id already exists.");
        }

        var now = clock.GetUtcNow();
        var patient = new Patient(_patientId, _clinicId, demographics, now, now, Version: 1);
        return await StoreAsync(patient, previous: null);
    }

    public async Task<Result<Patient>> UpdateAsync(PatientDemographics demographics)
    {
        if (_patient is not { } previous)
        {
            return Error.NotFound("Patient");
        }

        var patient = previous with { Demographics = demographics, UpdatedAt = clock.GetUtcNow(), Version = previous.Version + 1 };
        return await StoreAsync(patient, previous);
    }

    public Task<Patient?> GetAsync() => Task.FromResult(_patient);

    public Task<bool> ExistsAsync() => Task.FromResult(_patient is not null);

    public async Task<bool> ReindexAsync()
    {
        if (_patient is not { } patient)
        {
            return true;
        }

        // Active entries first, then the old ones go: a lookup finds the patient at every moment.
        var summary = Summarize(patient);
        if (!await Registry(summary.Mrn).ClaimAsync(summary))
        {
            return false;
        }

        await IndexAsync(summary, previous: null);
        await LeaveRetiringGenerationsAsync(patient, previous: null);
        return true;
    }

    private async Task<Result<Patient>> StoreAsync(Patient patient, Patient? previous)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (PatientRules.Validate(patient.Demographics, today).ToError() is { } invalid)
        {
            return invalid;
        }

        var summary = Summarize(patient);
        var creating = previous is null;
        var names = Partitions(summary.GivenName, summary.FamilyName);

        // While a blind-index key rotates, an MRN may still be registered under the older key only.
        // Checked before the active claim: a re-index claims the active entry before it drops the
        // old one, so one of the two checks always sees the holder.
        if (await HeldInRetiringGenerationAsync(summary)
            || !await (creating ? writer.ClaimWithNamesAsync(_clinicId, summary, names) : Registry(summary.Mrn).ClaimAsync(summary)))
        {
            return Error.Conflict("mrn-taken", "Another patient of this clinic has this medical record number.");
        }

        var stored = state.State.Patient;
        state.State.Patient = new ProtectedPatient(patient.Id, patient.ClinicId, await protector.ProtectAsync(patient.Demographics, PhiField.PatientDemographics(_clinicId, _patientId)),
            patient.CreatedAt, patient.UpdatedAt, patient.Version);
        try
        {
            await state.WriteStateAsync();
            _patient = patient;
        }
        catch
        {
            state.State.Patient = stored;
            if (previous is null || !SameMrn(previous, patient))
            {
                await Registry(summary.Mrn).ReleaseAsync(summary.Mrn, _patientId);
            }

            if (creating)
            {
                // The entries stored with the claim go too (row and any partition's memory).
                await Task.WhenAll(names.Select(p => NameIndex(p).RemoveAsync(_patientId)));
            }

            throw;
        }

        if (previous is not null && !SameMrn(previous, patient))
        {
            await Registry(previous.Demographics.Mrn).ReleaseAsync(previous.Demographics.Mrn, _patientId);
        }

        if (creating)
        {
            await Task.WhenAll(names.Select(p => NameIndex(p).AddStoredAsync(summary)));
        }
        else
        {
            await IndexAsync(summary, previous);
        }

        await LeaveRetiringGenerationsAsync(patient, previous);
        return patient;
    }

    private async Task<bool> HeldInRetiringGenerationAsync(PatientSummary summary)
    {
        foreach (var generation in keys.Retiring)
        {
            var holder = await GrainFactory.GetGrain<IMrnRegistryGrain>(keys.Mrn(generation, _clinicId, summary.Mrn)).FindAsync(summary.Mrn);
            if (holder is not null && holder.Id != _patientId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Drops this patient's entries (current and previous MRN and names) from every non-active generation.</summary>
    private async Task LeaveRetiringGenerationsAsync(Patient current, Patient? previous)
    {
        var versions = previous is null ? [current.Demographics] : new[] { current.Demographics, previous.Demographics };
        foreach (var generation in keys.Retiring)
        {
            var releases = versions.Select(d => d.Mrn).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(mrn => GrainFactory.GetGrain<IMrnRegistryGrain>(keys.Mrn(generation, _clinicId, mrn)).ReleaseAsync(mrn, _patientId));
            var removals = versions.SelectMany(d => NameTokens.Of(d.GivenName, d.FamilyName))
                .Select(t => keys.Name(generation, _clinicId, t)).Distinct()
                .Select(p => NameIndex(p).RemoveAsync(_patientId));
            await Task.WhenAll(releases.Concat(removals));
        }
    }

    private async Task IndexAsync(PatientSummary summary, Patient? previous)
    {
        var current = Partitions(summary.GivenName, summary.FamilyName);
        var stale = previous is null
            ? []
            : Partitions(previous.Demographics.GivenName, previous.Demographics.FamilyName).Except(current);

        await Task.WhenAll(current.Select(p => NameIndex(p).UpsertAsync(summary))
            .Concat(stale.Select(p => NameIndex(p).RemoveAsync(_patientId))));
    }

    private HashSet<string> Partitions(string givenName, string familyName) =>
        NameTokens.Of(givenName, familyName).Select(t => keys.Name(_clinicId, t)).ToHashSet();

    private IMrnRegistryGrain Registry(string mrn) =>
        GrainFactory.GetGrain<IMrnRegistryGrain>(keys.Mrn(_clinicId, mrn));

    private INameIndexGrain NameIndex(string key) => GrainFactory.GetGrain<INameIndexGrain>(key);

    private static bool SameMrn(Patient a, Patient b) =>
        string.Equals(a.Demographics.Mrn, b.Demographics.Mrn, StringComparison.OrdinalIgnoreCase);

    private static PatientSummary Summarize(Patient p) =>
        new(p.Id, p.Demographics.Mrn, p.Demographics.GivenName, p.Demographics.FamilyName, p.Demographics.BirthDate);
}
