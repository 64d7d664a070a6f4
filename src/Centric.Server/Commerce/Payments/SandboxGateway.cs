using System.Collections.Concurrent;
using Centric.Server.Platform.Errors;

namespace Centric.Server.Commerce.Payments;

/// <summary>
/// The built-in sandbox gateway. Test cards (any future expiry, any CVC):
/// 4242 4242 4242 4242 succeeds; 4000 0000 0000 0002 is declined; 4000 0000 0000 9995 has insufficient funds;
/// 4000 0000 0000 3220 needs a 3-D Secure challenge. Any other number that passes the Luhn check succeeds.
/// Like a real gateway it remembers idempotency keys, so a retried request returns the first answer.
/// </summary>
public sealed class SandboxGateway : IPaymentGateway
{
    public const string Name = "sandbox";
    private readonly ConcurrentDictionary<string, GatewayResult> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GatewayResult> _challenges = new(StringComparer.Ordinal);

    public int Charges { get; private set; }

    /// <summary>
    /// Sandbox tokens carry the test card they stand for (tok_sbx_&lt;digits&gt;_&lt;random&gt;), so they survive restarts
    /// without the sandbox keeping a card vault. A real gateway's tokens are opaque.
    /// </summary>
    public Task<GatewayCard> TokenizeAsync(string cardNumber, CancellationToken ct)
    {
        var digits = new string(cardNumber.Where(char.IsDigit).ToArray());
        if (digits.Length is < 12 or > 19 || !Luhn(digits)) throw RequestValidationException.For("cardNumber", "That card number is not valid.");
        var token = $"tok_sbx_{digits}_{Guid.NewGuid():N}";
        return Task.FromResult(new GatewayCard(token, digits[0] == '4' ? "visa" : digits[0] == '5' ? "mastercard" : "card", digits[^4..]));
    }

    public Task<GatewayResult> ChargeAsync(ChargeRequest request, CancellationToken ct)
    {
        var digits = request.CardNumber.StartsWith("tok_sbx_", StringComparison.Ordinal)
            ? request.CardNumber.Split('_')[2]
            : new string(request.CardNumber.Where(char.IsDigit).ToArray());
        if (digits.Length is < 12 or > 19 || !Luhn(digits))
            throw RequestValidationException.For("cardNumber", "That card number is not valid.");
        return Task.FromResult(_byKey.GetOrAdd(request.IdempotencyKey, _ =>
        {
            Charges++;
            var reference = "sbx_" + Guid.NewGuid().ToString("N")[..16];
            var (brand, last4) = (digits[0] == '4' ? "visa" : digits[0] == '5' ? "mastercard" : "card", digits[^4..]);
            var fingerprint = Fingerprint(digits);
            var result = digits switch
            {
                "4000000000000002" => new GatewayResult(GatewayOutcome.Declined, reference, "card_declined", brand, last4, fingerprint),
                "4000000000009995" => new GatewayResult(GatewayOutcome.Declined, reference, "insufficient_funds", brand, last4, fingerprint),
                "4000000000003220" => new GatewayResult(GatewayOutcome.RequiresAction, reference, null, brand, last4, fingerprint),
                _ => new GatewayResult(GatewayOutcome.Succeeded, reference, null, brand, last4, fingerprint),
            };
            if (result.Outcome == GatewayOutcome.RequiresAction) _challenges[reference] = result;
            return result;
        }));
    }

    public Task<GatewayResult> CompleteChallengeAsync(string reference, bool approved, CancellationToken ct)
    {
        if (!_challenges.TryRemove(reference, out var pending))
            throw new DomainException("payment-no-challenge", "There is no open challenge for this payment.");
        return Task.FromResult(approved
            ? pending with { Outcome = GatewayOutcome.Succeeded }
            : pending with { Outcome = GatewayOutcome.Declined, DeclineCode = "authentication_failed" });
    }

    public Task<GatewayResult> RefundAsync(string reference, long amountMinor, string idempotencyKey, CancellationToken ct) =>
        Task.FromResult(_byKey.GetOrAdd(idempotencyKey, _ => new GatewayResult(GatewayOutcome.Succeeded, reference)));

    /// <summary>The card's fingerprint: a hash of its number, the same for everyone who pays with it, from which the number cannot be read back.</summary>
    public static string Fingerprint(string digits) =>
        "fp_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes("centric-sandbox:" + digits)))[..24];

    public static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
        }
        return sum % 10 == 0;
    }
}
