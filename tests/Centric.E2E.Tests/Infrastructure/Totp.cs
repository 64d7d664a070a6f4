using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Centric.E2E.Tests.Infrastructure;

/// <summary>
/// What an authenticator app does (RFC 6238 over RFC 4226): HMAC-SHA1 over the number of 30-second steps since
/// the Unix epoch, dynamically truncated to a few decimal digits. The tests compute codes themselves so that a
/// broken enrolment or sign-in cannot hide behind a shared implementation with the server.
/// </summary>
public static class Totp
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    public static string Code(byte[] key, DateTimeOffset at, int digits = 6)
    {
        var counter = at.ToUnixTimeSeconds() / (long)Step.TotalSeconds;
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1; this mirrors them, it protects nothing.
        var hash = HMACSHA1.HashData(key, message);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7fffffff;
        return (binary % (int)Math.Pow(10, digits)).ToString().PadLeft(digits, '0');
    }

    /// <summary>The code for a key as shown to people: Base32, any case, spaces allowed.</summary>
    public static string Code(string base32Key, DateTimeOffset at, int digits = 6) => Code(Base32Decode(base32Key), at, digits);

    /// <summary>Seconds left before the code for <paramref name="at"/> changes.</summary>
    public static double SecondsLeftInStep(DateTimeOffset at) => Step.TotalSeconds - at.ToUnixTimeSeconds() % (long)Step.TotalSeconds;

    /// <summary>RFC 4648 Base32 without padding, as authenticator keys are written.</summary>
    public static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>(clean.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0) throw new FormatException($"'{c}' is not a Base32 character.");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }
        return [.. bytes];
    }
}
