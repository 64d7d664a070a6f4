using Centric.Server.Platform.Errors;

namespace Centric.Server.Platform.Signing;

/// <summary>
/// The shared secrets of the signed webhooks providers call (carriers, inbound email, messaging, telephony). The demo
/// secrets written in this repository's settings and docs sign only in Development: anywhere else they are public
/// knowledge, so a channel configured with one is off, exactly like a channel with no secret at all.
/// </summary>
public sealed class InboundWebhooks(IHostEnvironment environment)
{
    /// <summary>Secrets published with the product for the demo.</summary>
    public static readonly IReadOnlySet<string> BuiltInSecrets = new HashSet<string>(StringComparer.Ordinal)
    {
        "demo-carrier-secret", "demo-inbound-secret-for-development", "demo-messaging-secret-for-development",
        "demo-telephony-secret-for-development",
    };

    /// <summary>The secret to verify with, or null when the channel is off (unset, or a built-in secret outside Development).</summary>
    public string? SecretOrNull(string? configured) =>
        string.IsNullOrEmpty(configured) || (BuiltInSecrets.Contains(configured) && !environment.IsDevelopment()) ? null : configured;

    /// <summary>The answer of a channel that is off: there is nothing here to call.</summary>
    public static IResult Off(string channel, string setting) => Results.Problem(statusCode: StatusCodes.Status404NotFound,
        type: ProblemTypes.ChannelOff, title: $"The {channel} webhook is off.",
        detail: $"Set {setting} to a secret of your own to turn it on (built-in demo secrets work only in Development).");

    /// <summary>
    /// Reads a signed body of at most <paramref name="maxBytes"/> before anything is verified: a declared length over the limit is
    /// refused unread, and an undeclared one is read only up to the limit. Null means too large.
    /// </summary>
    public static async Task<string?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return null;
        var buffer = new byte[maxBytes + 1];
        var read = 0;
        while (read < buffer.Length && await request.Body.ReadAsync(buffer.AsMemory(read), ct) is var n && n > 0) read += n;
        return read > maxBytes ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    public static IResult TooLarge() => Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, type: ProblemTypes.PayloadTooLarge, title: "Too large.");
}
