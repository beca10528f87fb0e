using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Hosting;

/// <summary>A searchset Bundle; its links carry ids, instants, codes and a cursor at most, never search text.</summary>
public static class ResourceBundle
{
    public static Bundle Of(string baseUrl, string selfPath, int? total, IEnumerable<Resource> resources, string? nextLink)
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

        foreach (var resource in resources)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                // A proposal ($find) has no id yet: a fresh urn:uuid names it in this Bundle (R4 asks every entry for a fullUrl).
                FullUrl = resource.Id is { } id ? $"{baseUrl}/{resource.TypeName}/{id}" : "urn:uuid:" + Guid.NewGuid().ToString("D"),
                Resource = resource,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }

        return bundle;
    }
}
