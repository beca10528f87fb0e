using ClinicCluster.Patients;
using Hl7.Fhir.Model;

namespace ClinicCluster.Fhir.Patients;

/// <summary>
/// The one mapping of a native patient to FHIR R4 <c>Patient</c> (docs/fhir.md lists it field by field).
/// The MRN is an identifier of type MR in the clinic's MRN system; the sex is FHIR's administrative gender already.
/// </summary>
public static class PatientMapper
{
    /// <summary>The identifier system of the MRN, unique within a clinic (the base URL already names the clinic).</summary>
    public const string MrnSystem = "https://clinic-cluster.dev/fhir/sid/mrn";

    public const string IdentifierTypeSystem = "http://terminology.hl7.org/CodeSystem/v2-0203";

    public static Hl7.Fhir.Model.Patient ToFhir(ClinicCluster.Patients.Patient patient)
    {
        var d = patient.Demographics;
        var fhir = new Hl7.Fhir.Model.Patient
        {
            Id = patient.Id,
            Meta = new Meta { VersionId = patient.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), LastUpdated = patient.UpdatedAt },
            Identifier = [Mrn(d.Mrn)],
            Name = [new HumanName { Use = HumanName.NameUse.Official, Family = d.FamilyName, Given = [d.GivenName] }],
            BirthDate = d.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Gender = Gender(d.Sex),
        };
        if (d.Phone is { Length: > 0 } phone)
        {
            fhir.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, phone));
        }

        if (d.Email is { Length: > 0 } email)
        {
            fhir.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Email, null, email));
        }

        if (d.Address is { } address)
        {
            fhir.Address.Add(Address(address));
        }

        return fhir;
    }

    public static Identifier Mrn(string mrn) => new()
    {
        Use = Identifier.IdentifierUse.Usual,
        Type = new CodeableConcept(IdentifierTypeSystem, "MR", "Medical record number"),
        System = MrnSystem,
        Value = mrn,
    };

    public static AdministrativeGender Gender(AdministrativeSex sex) => sex switch
    {
        AdministrativeSex.Male => AdministrativeGender.Male,
        AdministrativeSex.Female => AdministrativeGender.Female,
        AdministrativeSex.Other => AdministrativeGender.Other,
        _ => AdministrativeGender.Unknown,
    };

    private static Address Address(PostalAddress address)
    {
        var fhir = new Address
        {
            Use = Hl7.Fhir.Model.Address.AddressUse.Home,
            City = address.City,
            State = address.Region,
            PostalCode = address.PostalCode,
            Country = address.Country,
        };
        fhir.LineElement.Add(new FhirString(address.Line1));
        if (address.Line2 is { Length: > 0 } line2)
        {
            fhir.LineElement.Add(new FhirString(line2));
        }

        return fhir;
    }
}
