namespace Centric.E2E.Tests.Infrastructure;

/// <summary>EAN-13 as printed on a product: the check digit, and the 95 bars and spaces a scanner reads.</summary>
public static class Ean13
{
    private static readonly string[] Left = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"];
    // The first digit is not drawn: it picks which of the left six digits use the even-parity (G) code.
    private static readonly string[] Parity = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"];

    public static string WithCheckDigit(string twelve)
    {
        var sum = twelve.Select((c, i) => (c - '0') * (i % 2 == 0 ? 1 : 3)).Sum();
        return twelve + (10 - sum % 10) % 10;
    }

    public static string Modules(string thirteen)
    {
        static string Right(int d) => new([.. Left[d].Select(c => c == '0' ? '1' : '0')]);
        static string Even(int d) => new([.. Right(d).Reverse()]);
        var digits = thirteen.Select(c => c - '0').ToArray();
        var parity = Parity[digits[0]];
        var left = string.Concat(Enumerable.Range(1, 6).Select(i => parity[i - 1] == 'L' ? Left[digits[i]] : Even(digits[i])));
        var right = string.Concat(Enumerable.Range(7, 6).Select(i => Right(digits[i])));
        return "101" + left + "01010" + right + "101";
    }
}
