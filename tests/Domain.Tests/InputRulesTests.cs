using ClinicCluster.Common;

namespace ClinicCluster.Domain.Tests;

/// <summary>The one id rule and the one text rule that the API and the grains both apply.</summary>
public sealed class InputRulesTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("pat-0123456789abcdef0123456789abcdef")]
    [InlineData("0")]
    public void Valid_ids_pass(string id) => Assert.True(Identifiers.IsValid(id));

    [Theory]
    [InlineData("abc\n")]
    [InlineData("abc\r\n")]
    [InlineData("\nabc")]
    [InlineData("ab\0c")]
    [InlineData("abc\0")]
    [InlineData("-abc")]
    [InlineData("ABC")]
    [InlineData("")]
    [InlineData("ab c")]
    [InlineData("abc\u00e9")]
    [InlineData("abc\u0660")]
    public void Ids_with_anything_else_fail(string id) => Assert.False(Identifiers.IsValid(id));

    [Fact]
    public void Ids_are_at_most_64_characters()
    {
        Assert.True(Identifiers.IsValid(new string('a', 64)));
        Assert.False(Identifiers.IsValid(new string('a', 65)));
        Assert.False(Identifiers.IsValid(new string('a', 100_000)));
    }

    [Theory]
    [InlineData("Zoë O'Brien-Łukasz 😀")]
    [InlineData("plain")]
    public void Ordinary_text_passes(string text) => Assert.Null(FreeText.Problem(text, 100));

    [Theory]
    [InlineData("a\0b")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("bell\u0007")]
    [InlineData("del\u007f")]
    [InlineData("c1\u0085")]
    [InlineData("noncharacter \uffff")]
    public void Control_characters_and_broken_unicode_fail_single_line_text(string text) => Assert.NotNull(FreeText.Problem(text, 100));

    [Fact]
    public void Unpaired_surrogates_fail()
    {
        // Built here, not in [InlineData]: the test runner would replace a lone surrogate with U+FFFD.
        Assert.NotNull(FreeText.Problem("lone " + (char)0xD800 + " high", 100));
        Assert.NotNull(FreeText.Problem("lone " + (char)0xDC00 + " low", 100));
        Assert.NotNull(FreeText.Problem("reversed " + (char)0xDC00 + (char)0xD800, 100));
        Assert.NotNull(FreeText.Problem("cut " + (char)0xD83D, 100));
    }

    [Fact]
    public void Multiline_text_allows_line_breaks_and_tabs_but_never_nul()
    {
        Assert.Null(FreeText.Problem("first\r\nsecond\tthird", 100, multiline: true));
        Assert.NotNull(FreeText.Problem("first\0second", 100, multiline: true));
        Assert.NotNull(FreeText.Problem("escape\u001b[31m", 100, multiline: true));
    }

    [Fact]
    public void Text_is_bounded()
    {
        Assert.Null(FreeText.Problem(new string('x', 100), 100));
        Assert.Equal("At most 100 characters.", FreeText.Problem(new string('x', 101), 100));
    }

    [Theory]
    [InlineData("key-1", true)]
    [InlineData("with space ~", true)]
    [InlineData("", false)]
    [InlineData("nul\0", false)]
    [InlineData("é", false)]
    public void Printable_ascii_tokens(string value, bool valid) => Assert.Equal(valid, FreeText.IsPrintableAscii(value, 255));
}
