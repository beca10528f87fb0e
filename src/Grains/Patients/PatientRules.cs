using System.Text.RegularExpressions;

namespace ClinicCluster.Patients;

/// <summary>
/// What makes patient demographics valid. Messages name the rule, never the value: the values are PHI.
/// </summary>
public static partial class PatientRules
{
    public static ValidationErrors Validate(PatientDemographics patient, DateOnly today)
    {
        var errors = new ValidationErrors()
            .Text(patient.Mrn, "mrn", 32)
            .When(patient.Mrn is not null && !MrnPattern().IsMatch(patient.Mrn), "mrn", "Letters, digits and hyphens only.")
            .Text(patient.GivenName, "givenName", 100)
            .Text(patient.FamilyName, "familyName", 100)
            .When(patient.BirthDate > today, "birthDate", "Must not be in the future.")
            .When(patient.BirthDate < new DateOnly(1880, 1, 1), "birthDate", "Must be after 1880-01-01.")
            .When(!Enum.IsDefined(patient.Sex), "sex", "Must be one of male, female, other, unknown.")
            .OptionalText(patient.Phone, "phone", 32)
            .When(patient.Phone is not null && !PhonePattern().IsMatch(patient.Phone), "phone", "Digits, spaces, '+', '-', '(' and ')' only.")
            .OptionalText(patient.Email, "email", 254)
            .When(patient.Email is not null && !EmailPattern().IsMatch(patient.Email), "email", "Must be an e-mail address.");

        if (patient.Address is { } address)
        {
            errors.Text(address.Line1, "address.line1", 200)
                .OptionalText(address.Line2, "address.line2", 200)
                .Text(address.City, "address.city", 100)
                .OptionalText(address.Region, "address.region", 100)
                .Text(address.PostalCode, "address.postalCode", 20)
                .Text(address.Country, "address.country", 2)
                .When(address.Country is { Length: > 0 } c && !CountryPattern().IsMatch(c), "address.country", "An ISO 3166-1 alpha-2 code such as 'US'.");
        }

        return errors;
    }

    [GeneratedRegex(@"\A[A-Za-z0-9-]+\z")]
    private static partial Regex MrnPattern();

    [GeneratedRegex(@"\A\+?[0-9 ()-]{3,32}\z")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"\A[^@\s]+@[^@\s]+\.[^@\s]+\z")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\A[A-Z]{2}\z")]
    private static partial Regex CountryPattern();
}
