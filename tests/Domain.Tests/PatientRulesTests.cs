using ClinicCluster.Common;
using ClinicCluster.Patients;

namespace ClinicCluster.Domain.Tests;

public sealed class PatientRulesTests
{
    private static readonly DateOnly Today = new(2026, 6, 10);

    private static readonly PatientDemographics Valid = new(
        "MRN-000123",
        "Zoë",
        "Saldaña-Pérez",
        new DateOnly(1984, 2, 29),
        AdministrativeSex.Female,
        "+1 (212) 555-0100",
        "zoe@example.org",
        new PostalAddress("1 Main St", "Apt 2", "New York", "NY", "10001", "US"));

    private static IReadOnlyDictionary<string, string[]> Fields(PatientDemographics patient)
    {
        var error = PatientRules.Validate(patient, Today).ToError();
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.NotNull(error.Fields);
        return error.Fields;
    }

    [Fact]
    public void Valid_demographics_produce_no_errors()
    {
        Assert.True(PatientRules.Validate(Valid, Today).IsEmpty);
    }

    [Fact]
    public void Minimal_demographics_without_optional_fields_produce_no_errors()
    {
        Assert.True(PatientRules.Validate(Valid with { Phone = null, Email = null, Address = null }, Today).IsEmpty);
    }

    [Fact]
    public void Birth_date_today_is_valid()
    {
        Assert.True(PatientRules.Validate(Valid with { BirthDate = Today }, Today).IsEmpty);
    }

    [Fact]
    public void Birth_date_in_the_future_is_an_error_on_birth_date()
    {
        var fields = Fields(Valid with { BirthDate = Today.AddDays(1) });

        Assert.Equal(["birthDate"], fields.Keys);
    }

    [Fact]
    public void Birth_date_before_1880_is_an_error_on_birth_date()
    {
        var fields = Fields(Valid with { BirthDate = new DateOnly(1879, 12, 31) });

        Assert.Equal(["birthDate"], fields.Keys);
    }

    [Theory]
    [InlineData("MRN 123")]
    [InlineData("MRN_123")]
    [InlineData("ZZ!!secret")]
    public void Mrn_with_characters_other_than_letters_digits_and_hyphens_is_an_error_on_mrn(string mrn)
    {
        var fields = Fields(Valid with { Mrn = mrn });

        Assert.Equal(["mrn"], fields.Keys);
    }

    [Fact]
    public void Blank_mrn_is_an_error_on_mrn()
    {
        var fields = Fields(Valid with { Mrn = "" });

        Assert.Equal(["mrn"], fields.Keys);
    }

    [Theory]
    [InlineData("secret-value-at-nowhere")]
    [InlineData("a@b")]
    [InlineData("a b@example.org")]
    public void Malformed_email_is_an_error_on_email(string email)
    {
        var fields = Fields(Valid with { Email = email });

        Assert.Equal(["email"], fields.Keys);
    }

    [Theory]
    [InlineData("usa")]
    [InlineData("us")]
    [InlineData("U1")]
    public void Country_that_is_not_an_upper_case_alpha_2_code_is_an_error_on_address_country(string country)
    {
        var fields = Fields(Valid with { Address = Valid.Address! with { Country = country } });

        Assert.Equal(["address.country"], fields.Keys);
    }

    [Fact]
    public void Bad_phone_is_an_error_on_phone()
    {
        var fields = Fields(Valid with { Phone = "call me" });

        Assert.Equal(["phone"], fields.Keys);
    }

    [Fact]
    public void No_error_message_contains_the_offending_values()
    {
        var patient = Valid with
        {
            Mrn = "ZZ!!secret",
            GivenName = new string('s', 101),
            Phone = "secret-phone",
            Email = "secret-value-at-nowhere",
            Address = Valid.Address! with { Country = "secretland", PostalCode = "secret-postal-code-that-is-too-long" },
        };

        var error = PatientRules.Validate(patient, Today).ToError();

        Assert.NotNull(error);
        Assert.NotNull(error.Fields);
        Assert.Equal(
            ["address.country", "address.postalCode", "email", "givenName", "mrn", "phone"],
            error.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("secret", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sssss", error.Message, StringComparison.Ordinal);
        Assert.All(error.Fields.Values.SelectMany(messages => messages), message =>
        {
            Assert.DoesNotContain("secret", message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("sssss", message, StringComparison.Ordinal);
        });
    }
}
