using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Patients;

/// <summary>A searchset Bundle of one page; its links carry a cursor token at most, never search text.</summary>
public static class SearchBundle
{
    public static Bundle Of(string baseUrl, int total, IReadOnlyList<ClinicCluster.Patients.Patient> patients, string? nextCursor)
    {
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString("N"),
            Type = Bundle.BundleType.Searchset,
            Timestamp = DateTimeOffset.UtcNow,
            Total = total,
        };
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = baseUrl + "/Patient" });
        if (nextCursor is not null)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = $"{baseUrl}/Patient?_cursor={nextCursor}" });
        }

        foreach (var patient in patients)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/Patient/{patient.Id}",
                Resource = PatientMapper.ToFhir(patient),
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }

        return bundle;
    }
}
