using System.Text;
using Centric.E2E.Tests.Infrastructure;

namespace Centric.E2E.Tests;

/// <summary>The test's own authenticator must be right before it can judge the server's.</summary>
public class TotpTests
{
    // RFC 6238 appendix B, SHA-1 column: the 20-byte ASCII seed "12345678901234567890", 8 digits.
    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Code_matches_the_RFC_6238_test_vector(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code(Encoding.ASCII.GetBytes("12345678901234567890"), DateTimeOffset.FromUnixTimeSeconds(unixSeconds), 8));

    [Fact]
    public void Base32_key_as_shown_on_the_page_decodes_to_the_same_secret()
    {
        // "12345678901234567890" in Base32, written the way the enrolment page shows keys: lower case in groups of four.
        var key = Totp.Base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq");
        Assert.Equal("12345678901234567890", Encoding.ASCII.GetString(key));
        Assert.Equal("287082", Totp.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(59)));
    }

    [Fact]
    public void Base32_rejects_characters_outside_the_alphabet() =>
        Assert.Throws<FormatException>(() => Totp.Base32Decode("GEZD1"));
}
