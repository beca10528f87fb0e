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
    }
}
