using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Returns;
using Centric.Server.Commerce.Wallet;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Commerce.Loyalty;

/// <summary>
/// The referral programme: a friend's first order placed with a customer's code is recorded at checkout, checked against
/// self-referral (the same customer, email, address, and later the same card), and settled once the order is paid, delivered
/// and past the return window without a return: then both get the referral points, up to the referrer's monthly limit.
/// </summary>
public sealed class Referrals(CentricDbContext db, LoyaltyLedger ledger, ProfileTraits traits, ICustomerDirectory customers,
    IOptions<ReturnOptions> returns, TimeProvider clock)
{
    /// <summary>The cookie <c>/r/{code}</c> sets, read by the checkout.</summary>
    public const string Cookie = "centric_ref";

    /// <summary>A code as stored (trimmed, upper case), or null when it cannot be one.</summary>
    public static string? Normalise(string? code)
    {
        var c = code?.Trim().ToUpperInvariant();
        return c is { Length: >= 4 and <= 16 } && c.All(char.IsAsciiLetterOrDigit) ? c : null;
    }

    public async Task<bool> ExistsAsync(string? code, CancellationToken ct) =>
        Normalise(code) is { } c && await db.LoyaltyAccounts.AnyAsync(a => a.ReferralCode == c, ct);

    /// <summary>
    /// Records the referral of a new order, in the checkout's unit of work. A code nobody has is refused (400 on the field); a
    /// customer who has ordered before, or was referred already, is simply not referred again. A guard that fails is kept as a
    /// refused referral, with the reason, for staff.
    /// </summary>
    public async Task ReferAsync(Order order, string code, CancellationToken ct)
    {
        var program = await ledger.ProgramAsync(ct);
        if (!program.Enabled || program.ReferralPoints <= 0) return;
        var normal = Normalise(code) ?? throw RequestValidationException.For("referralCode", "A referral code is 4 to 16 letters and digits.");
        var referrer = await db.LoyaltyAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.ReferralCode == normal, ct)
            ?? throw RequestValidationException.For("referralCode", $"No customer has the referral code {normal}.");
        if (await db.Referrals.AnyAsync(r => r.ProfileId == order.ProfileId, ct)
            || await db.Orders.AnyAsync(o => o.ProfileId == order.ProfileId && o.Id != order.Id && o.Status != OrderStatus.Cancelled, ct))
            return;
        var now = clock.GetUtcNow().UtcDateTime;
        var refusal = await RefusalAtCheckoutAsync(referrer.ProfileId, order, ct);
        db.Referrals.Add(new Referral
        {
            ProfileId = order.ProfileId, ReferrerProfileId = referrer.ProfileId, Code = normal, OrderId = order.Id, OrderNumber = order.Number,
            Status = refusal is null ? ReferralStatus.Pending : ReferralStatus.Refused, Reason = refusal, CreatedAt = now, SettledAt = refusal is null ? null : now,
        });
    }

    /// <summary>Why a friend's order may not count for this referrer, in staff's words; null when it may.</summary>
    internal async Task<string?> RefusalAtCheckoutAsync(Guid referrer, Order order, CancellationToken ct)
    {
        if (referrer == order.ProfileId) return "Same customer";
        var email = ContactAddress.NormaliseEmail(order.Email);
        if (email is not null)
        {
            if (string.Equals(ContactAddress.NormaliseEmail((await traits.ContactAsync(referrer, ct))?.Email ?? ""), email, StringComparison.Ordinal))
                return "Same email";
            if ((await customers.FindByIdentityAsync(IdentityKinds.Email, email, ct))?.Id == referrer) return "Same email";
            if (await db.Orders.AnyAsync(o => o.ProfileId == referrer && o.Email == email, ct)) return "Same email";
        }
        if (AddressKey(order.ShipLine1, order.ShipPostalCode, order.ShipCountry) is { } address)
        {
            var theirs = await db.Orders.Where(o => o.ProfileId == referrer && o.ShipLine1 != null)
                .Select(o => new { o.ShipLine1, o.ShipPostalCode, o.ShipCountry }).Distinct().Take(200).ToListAsync(ct);
            var saved = await db.Set<SavedAddress>().Where(a => a.ProfileId == referrer).Select(a => new { a.Line1, a.PostalCode, a.Country }).ToListAsync(ct);
            if (theirs.Any(o => AddressKey(o.ShipLine1, o.ShipPostalCode, o.ShipCountry) == address)
                || saved.Any(a => AddressKey(a.Line1, a.PostalCode, a.Country) == address))
                return "Same delivery address";
        }
        return null;
    }

    /// <summary>Street, postal code and country without case, spaces or punctuation: "Rua Augusta, 1" is "rua augusta 1".</summary>
    public static string? AddressKey(string? line1, string? postalCode, string? country)
    {
        if (string.IsNullOrWhiteSpace(line1) || string.IsNullOrWhiteSpace(postalCode)) return null;
        static string Squash(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return $"{Squash(line1)}|{Squash(postalCode)}|{Squash(country ?? "")}";
    }

    /// <summary>
    /// Settles the pending referrals whose order's return window has passed: rewarded (both sides earn), refused (same card,
    /// monthly limit) or void (the order was cancelled, refunded or returned). Returns how many it settled.
    /// </summary>
    public async Task<int> SettleAsync(CancellationToken ct)
    {
        var program = await ledger.ProgramAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var settled = 0;
        var pending = await db.Referrals.Where(r => r.Status == ReferralStatus.Pending).OrderBy(r => r.CreatedAt).Take(500).ToListAsync(ct);
        foreach (var referral in pending)
        {
            var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == referral.OrderId, ct);
            if (order is null || order.Status is OrderStatus.Cancelled or OrderStatus.Refunded) Settle(referral, ReferralStatus.Void, "The order was cancelled or refunded");
            else if (order.DeliveredAt is not { } delivered || now <= delivered.AddDays(returns.Value.WindowDays)) continue;
            else if (await db.Set<ReturnRequest>().AnyAsync(r => r.OrderId == order.Id && r.Status != ReturnStatus.Rejected, ct))
                Settle(referral, ReferralStatus.Void, "Goods of the order were returned");
            else if (await SameCardAsync(referral.ReferrerProfileId, order.Id, ct)) Settle(referral, ReferralStatus.Refused, "Same card");
            else if (!program.Enabled) continue;
            else if (await RewardedThisMonthAsync(referral.ReferrerProfileId, now, ct) >= program.ReferralMonthlyLimit)
                Settle(referral, ReferralStatus.Refused, $"The referrer had {program.ReferralMonthlyLimit} referral rewards this month");
            else
            {
                Settle(referral, ReferralStatus.Rewarded, null);
                await ledger.EarnForReferralAsync(program, referral.ReferrerProfileId, referral, referrer: true, ct);
                await ledger.EarnForReferralAsync(program, referral.ProfileId, referral, referrer: false, ct);
            }
            await db.SaveChangesAsync(ct);
            settled++;
        }
        return settled;

        void Settle(Referral r, ReferralStatus status, string? reason) => (r.Status, r.Reason, r.SettledAt) = (status, reason, now);
    }

    /// <summary>The friend paid with a card the referrer has paid with: the gateway's card fingerprint, else brand and last four digits.</summary>
    private async Task<bool> SameCardAsync(Guid referrer, Guid orderId, CancellationToken ct)
    {
        var paid = await db.Payments.AsNoTracking().Where(p => p.OrderId == orderId && p.Status == PaymentStatus.Succeeded)
            .Select(p => new { p.CardFingerprint, p.CardBrand, p.CardLast4 }).ToListAsync(ct);
        foreach (var p in paid)
        {
            if (p.CardFingerprint is { } fingerprint)
            {
                if (await db.Payments.AnyAsync(x => x.ProfileId == referrer && x.CardFingerprint == fingerprint, ct)) return true;
            }
            else if (p.CardLast4 is { } last4 && await db.Payments.AnyAsync(x => x.ProfileId == referrer && x.CardBrand == p.CardBrand && x.CardLast4 == last4, ct))
                return true;
        }
        return false;
    }

    private Task<int> RewardedThisMonthAsync(Guid referrer, DateTime now, CancellationToken ct)
    {
        var month = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        return db.Referrals.CountAsync(r => r.ReferrerProfileId == referrer && r.Status == ReferralStatus.Rewarded && r.SettledAt >= month, ct);
    }
}
