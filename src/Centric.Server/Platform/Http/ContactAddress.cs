using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Centric.Server.Platform.Http;

/// <summary>
/// The one normal form of an email address and a phone number, so that every module (events, checkout, staff, inbound
/// messages) stores and looks up the same identity for the same person.
/// </summary>
public static partial class ContactAddress
{
    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    /// <summary>Lower-cased address, or null when it is not a plausible email.</summary>
    public static string? NormaliseEmail(string raw)
    {
        var s = raw.Trim();
        if (s.Length > 320 || !MailAddress.TryCreate(s, out var address) || address.Address != s || address.DisplayName.Length > 0) return null;
        var at = s.LastIndexOf('@');
        var domain = s[(at + 1)..];
        if (at <= 0 || !domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.')) return null;
        return s.ToLowerInvariant();
    }

    /// <summary>E.164 (+ and digits), ignoring spaces, dashes, dots and brackets; null when not valid.</summary>
    public static string? NormalisePhone(string raw)
    {
        var digits = new string(raw.Where(ch => !char.IsWhiteSpace(ch) && ch is not ('-' or '.' or '(' or ')')).ToArray());
        if (digits.StartsWith("00", StringComparison.Ordinal)) digits = "+" + digits[2..];
        return E164().IsMatch(digits) ? digits : null;
    }
}
