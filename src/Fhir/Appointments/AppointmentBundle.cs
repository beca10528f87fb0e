using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Appointments;

/// <summary>A searchset Bundle of Appointments; its links carry a cursor token at most, never search values.</summary>
public static class AppointmentBundle
{
    public static Bundle Of(string baseUrl, string selfPath, int? total, IEnumerable<Hl7.Fhir.Model.Appointment> appointments, string? nextLink)
    {
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString("N"),
            Type = Bundle.BundleType.Searchset,
            Timestamp = DateTimeOffset.UtcNow,
            Total = total,
        };
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = baseUrl + selfPath });
        if (nextLink is not null)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = baseUrl + nextLink });
        }

        foreach (var appointment in appointments)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                // A proposal has no id yet: a fresh urn:uuid names it in this Bundle (R4 asks every entry for a fullUrl).
                FullUrl = appointment.Id is { } id ? $"{baseUrl}/Appointment/{id}" : "urn:uuid:" + Guid.NewGuid().ToString("D"),
                Resource = appointment,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }

        return bundle;
    }
}
