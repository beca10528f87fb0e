using System.Text.Json;

namespace ClinicCluster.Patients;

/// <summary>
/// A <see cref="NameIndexSnapshot"/> as it is encrypted and stored: one array per field instead of
/// an object per patient, so 100,000 entries serialize to about half the bytes and parse without
/// matching a property name per value (decision 0060).
/// </summary>
public sealed record NameIndexSnapshotColumns(
    string[] Stamps, string[] Ids, string[] Mrns, string[] GivenNames, string[] FamilyNames, DateOnly[] BirthDates)
{
    public static NameIndexSnapshotColumns Of(NameIndexSnapshot snapshot)
    {
        var entries = snapshot.Entries;
        return new NameIndexSnapshotColumns(
            [.. entries.Select(e => e.Stamp)], [.. entries.Select(e => e.Patient.Id)], [.. entries.Select(e => e.Patient.Mrn)],
            [.. entries.Select(e => e.Patient.GivenName)], [.. entries.Select(e => e.Patient.FamilyName)], [.. entries.Select(e => e.Patient.BirthDate)]);
    }

    /// <summary>The snapshot; a value whose columns disagree in length is refused as unreadable.</summary>
    public NameIndexSnapshot ToSnapshot()
    {
        var count = Stamps.Length;
        if (new[] { Ids.Length, Mrns.Length, GivenNames.Length, FamilyNames.Length, BirthDates.Length }.Any(length => length != count))
        {
            throw new JsonException("A name index snapshot's columns differ in length.");
        }

        var entries = new NameIndexSnapshotEntry[count];
        for (var i = 0; i < count; i++)
        {
            entries[i] = new NameIndexSnapshotEntry(Stamps[i], new PatientSummary(Ids[i], Mrns[i], GivenNames[i], FamilyNames[i], BirthDates[i]));
        }

        return new NameIndexSnapshot(entries);
    }
}
