using ClinicCluster.Patients;

namespace ClinicCluster.Domain.Tests;

public sealed class NameTokensTests
{
    [Fact]
    public void Accented_and_hyphenated_names_yield_plain_lower_case_tokens()
    {
        var tokens = NameTokens.Of("Zoë", "Saldaña-Pérez");

        Assert.Equal(["perez", "saldana", "zoe"], tokens.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Apostrophes_and_spaces_split_tokens_and_duplicates_collapse()
    {
        var tokens = NameTokens.Of("Mary Ann", "O'Brien-Mary");

        Assert.Equal(["ann", "brien", "mary", "o"], tokens.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Decomposed_and_precomposed_accents_give_the_same_token()
    {
        Assert.Equal(NameTokens.Of("Zo\u00EB", "X"), NameTokens.Of("Zoe\u0308", "X"));
    }

    [Theory]
    [InlineData("  Smi", "smi")]
    [InlineData("Pér", "per")]
    [InlineData("o'bri", "o")]
    [InlineData("  smith jones", "smith")]
    public void Prefix_is_the_normalized_first_word(string text, string expected)
    {
        Assert.Equal(expected, NameTokens.Prefix(text));
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-'")]
    public void Prefix_without_a_letter_or_digit_is_null(string text)
    {
        Assert.Null(NameTokens.Prefix(text));
    }

    [Fact]
    public void Partition_is_the_first_character_of_the_token()
    {
        Assert.Equal("s", NameTokens.Partition("saldana"));
        Assert.Equal("clinic-1/name/s", PatientIndexKeys.Name("clinic-1", "saldana"));
    }

    [Fact]
    public void Mrn_key_ignores_case()
    {
        Assert.Equal(PatientIndexKeys.Mrn("clinic-1", "ab-1"), PatientIndexKeys.Mrn("clinic-1", "AB-1"));
    }

    [Theory]
    [InlineData("ab-1", "clinic-1/mrn/28")]
    [InlineData("AB-1", "clinic-1/mrn/28")]
    [InlineData("MRN-000123", "clinic-1/mrn/3")]
    [InlineData("A", "clinic-1/mrn/12")]
    public void Mrn_key_is_a_stable_fnv1a_partition_independent_of_the_process(string mrn, string expected)
    {
        // Expected values computed independently with 32-bit FNV-1a over the upper-cased MRN, modulo 32.
        Assert.Equal(expected, PatientIndexKeys.Mrn("clinic-1", mrn));
    }

    [Fact]
    public void Mrn_key_is_the_same_on_every_call()
    {
        var first = PatientIndexKeys.Mrn("clinic-1", "MRN-000123");

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(first, PatientIndexKeys.Mrn("clinic-1", "MRN-000123"));
        }
    }

    [Fact]
    public void Mrn_keys_stay_within_the_32_partitions_and_use_many_of_them()
    {
        var partitions = new HashSet<int>();
        for (var i = 0; i < 2_000; i++)
        {
            var key = PatientIndexKeys.Mrn("clinic-1", $"MRN-{i:D6}");
            Assert.StartsWith("clinic-1/mrn/", key, StringComparison.Ordinal);
            var partition = int.Parse(key["clinic-1/mrn/".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(partition, 0, PatientIndexKeys.MrnPartitions - 1);
            partitions.Add(partition);
        }

        Assert.Equal(32, PatientIndexKeys.MrnPartitions);
        Assert.Equal(PatientIndexKeys.MrnPartitions, partitions.Count);
    }
}
