using ClinicCluster.Fhir.Providers;
using ClinicCluster.Fhir.Slots;
using static Hl7.Fhir.Model.CapabilityStatement;

namespace ClinicCluster.Fhir.Conformance;

/// <summary>
/// The CapabilityStatement entries of the clinic's directory: Practitioner and Schedule (one per
/// provider; read, search), Slot (computed from availability; read, search), Location and
/// Organization (the clinic; read).
/// </summary>
public static class DirectoryCapabilities
{
    public static ResourceComponent Practitioner() =>
        Searchable("Practitioner", ProviderSearchQuery.PractitionerDeclared, name => "Practitioner-" + name);

    public static ResourceComponent Schedule() =>
        Searchable("Schedule", ProviderSearchQuery.ScheduleDeclared, name => "Schedule-" + name);

    public static ResourceComponent Slot() =>
        Searchable("Slot", SlotSearchQuery.Declared, name => "Slot-" + name);

    public static ResourceComponent Location() => Capabilities.Base("Location", TypeRestfulInteraction.Read);

    public static ResourceComponent Organization() => Capabilities.Base("Organization", TypeRestfulInteraction.Read);

    private static ResourceComponent Searchable(string type, IReadOnlyList<(string Name, string Type, string Documentation)> declared, Func<string, string> definition)
    {
        var resource = Capabilities.Base(type, TypeRestfulInteraction.Read, TypeRestfulInteraction.SearchType);
        resource.SearchParam = Capabilities.SearchParams(declared, definition);
        return resource;
    }
}
