using System.Text.Json;
using System.Text.Json.Nodes;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Returns;
using Centric.Server.Commerce.Reviews;
using Centric.Server.Commerce.Shipments;
using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Commerce.Wallet;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce;

/// <summary>What the shop holds about a person, for export, erasure and merges. Orders keep their amounts for the books.</summary>
internal sealed class CommercePersonalData : IPersonalData
{
    public string Section => "commerce";

    public async Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var orders = await db.Orders.AsNoTracking().Include(o => o.Lines).Where(o => o.ProfileId == profileId).OrderBy(o => o.PlacedAt).ToListAsync(ct);
        var data = new
        {
            orders = orders.Select(o => new
            {
                o.Number, Status = o.Status.ToString(), o.PlacedAt, o.Email, o.Currency, Total = o.TotalMinor / 100m, Refunded = o.RefundedMinor / 100m,
                o.ShippingMethod, o.ShipName, o.ShipLine1, o.ShipLine2, o.ShipCity, o.ShipPostalCode, o.ShipCountry,
                Lines = o.Lines.Select(l => new { l.Sku, l.Name, l.Quantity, UnitPrice = l.UnitPriceMinor / 100m }),
            }),
            payments = await db.Payments.AsNoTracking().Where(p => p.ProfileId == profileId)
                .Select(p => new { p.OrderId, Status = p.Status.ToString(), Amount = p.AmountMinor / 100m, p.Currency, p.CardBrand, p.CardLast4, p.CreatedAt }).ToListAsync(ct),
            returns = await db.Set<ReturnRequest>().AsNoTracking().Where(r => r.ProfileId == profileId)
                .Select(r => new { r.Number, Status = r.Status.ToString(), r.Reason, r.Comment, Refund = r.RefundMinor / 100m, r.CreatedAt }).ToListAsync(ct),
            subscriptions = await db.Set<Subscription>().AsNoTracking().Where(s => s.ProfileId == profileId)
                .Select(s => new { s.Id, Status = s.Status.ToString(), s.IntervalDays, Price = s.PriceMinor / 100m, s.CardBrand, s.CardLast4, s.ShipName, s.ShipLine1, s.ShipCity, s.ShipPostalCode }).ToListAsync(ct),
            savedCards = await db.Set<SavedCard>().AsNoTracking().Where(c => c.ProfileId == profileId).Select(c => new { c.Brand, c.Last4, c.CreatedAt }).ToListAsync(ct),
            addresses = await db.Set<SavedAddress>().AsNoTracking().Where(a => a.ProfileId == profileId).ToListAsync(ct),
            promotions = await db.PromotionRedemptions.AsNoTracking().Where(r => r.ProfileId == profileId).OrderBy(r => r.RedeemedAt)
                .Select(r => new { r.OrderNumber, r.Code, Amount = r.AmountMinor / 100m, r.Currency, r.RedeemedAt, r.ReleasedAt }).ToListAsync(ct),
            reviews = await db.Set<Review>().AsNoTracking().Where(r => r.ProfileId == profileId).Select(r => new { r.ProductId, r.Rating, r.Title, r.Body, r.CreatedAt }).ToListAsync(ct),
            loyalty = new
            {
                account = await db.LoyaltyAccounts.AsNoTracking().Where(a => a.ProfileId == profileId).Select(a => new { a.ReferralCode, a.Tier, a.CreatedAt }).FirstOrDefaultAsync(ct),
                entries = (await db.LoyaltyEntries.AsNoTracking().Where(e => e.ProfileId == profileId).OrderBy(e => e.CreatedAt).ToListAsync(ct))
                    .Select(e => new { e.CreatedAt, e.Points, Kind = Loyalty.LoyaltyLedger.Wire(e.Kind), e.OrderNumber, e.Note, e.ExpiresAt }),
                // Friends the person referred are shown as the person sees them (when and how it went), never who they are.
                referred = await db.Referrals.AsNoTracking().Where(r => r.ReferrerProfileId == profileId)
                    .Select(r => new { r.CreatedAt, Status = r.Status.ToString(), r.SettledAt }).ToListAsync(ct),
                referredBy = await db.Referrals.AsNoTracking().Where(r => r.ProfileId == profileId)
                    .Select(r => new { r.Code, r.OrderNumber, Status = r.Status.ToString(), r.CreatedAt, r.SettledAt }).FirstOrDefaultAsync(ct),
            },
        };
        return JsonSerializer.SerializeToNode(data, JsonSerializerOptions.Web);
    }

    public async Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var rows = await db.Orders.Where(o => o.ProfileId == profileId).ExecuteUpdateAsync(u => u
            .SetProperty(o => o.Email, "erased@invalid").SetProperty(o => o.ShipName, (string?)null).SetProperty(o => o.ShipLine1, (string?)null)
            .SetProperty(o => o.ShipLine2, (string?)null).SetProperty(o => o.ShipCity, (string?)null).SetProperty(o => o.ShipPostalCode, (string?)null), ct);
        rows += await db.Set<ReturnRequest>().Where(r => r.ProfileId == profileId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Comment, (string?)null), ct);
        rows += await db.Set<Subscription>().Where(s => s.ProfileId == profileId).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.Status, SubscriptionStatus.Cancelled).SetProperty(s => s.Email, "erased@invalid").SetProperty(s => s.PaymentToken, "erased")
            .SetProperty(s => s.ShipName, (string?)null).SetProperty(s => s.ShipLine1, (string?)null).SetProperty(s => s.ShipCity, (string?)null)
            .SetProperty(s => s.ShipPostalCode, (string?)null), ct);
        rows += await db.Set<SavedCard>().Where(c => c.ProfileId == profileId).ExecuteDeleteAsync(ct);
        rows += await db.Set<SavedAddress>().Where(a => a.ProfileId == profileId).ExecuteDeleteAsync(ct);
        // A review's rating stays in the product's average; the words and the name go.
        rows += await db.Set<Review>().Where(r => r.ProfileId == profileId).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.AuthorName, "Former customer").SetProperty(r => r.Title, (string?)null).SetProperty(r => r.Body, ""), ct);
        // Points are the person's own: their statement, membership and referrals go (the business's figures do not need them).
        rows += await db.LoyaltyEntries.Where(e => e.ProfileId == profileId).ExecuteDeleteAsync(ct);
        rows += await db.LoyaltyAccounts.Where(a => a.ProfileId == profileId).ExecuteDeleteAsync(ct);
        rows += await db.Referrals.Where(r => r.ProfileId == profileId || r.ReferrerProfileId == profileId).ExecuteDeleteAsync(ct);
        var carts = await db.Carts.Where(c => c.ProfileId == profileId).Select(c => c.Id).ToListAsync(ct);
        rows += await db.CartLines.Where(l => carts.Contains(l.CartId)).ExecuteDeleteAsync(ct);
        rows += await db.Carts.Where(c => c.ProfileId == profileId).ExecuteDeleteAsync(ct);
        return rows;
    }

    public async Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        await MoveCartsAsync(db, fromProfileId, toProfileId, ct);
        await MoveReviewsAsync(db, fromProfileId, toProfileId, ct);
        // One default address: the survivor's stays the default if it has one.
        if (await db.Set<SavedAddress>().AnyAsync(a => a.ProfileId == toProfileId && a.IsDefault, ct))
            await db.Set<SavedAddress>().Where(a => a.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(a => a.IsDefault, false), ct);
        await db.Set<SavedAddress>().Where(a => a.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(a => a.ProfileId, toProfileId), ct);
        // Saved cards are simply pooled: each is its own token at the gateway.
        await db.Set<SavedCard>().Where(c => c.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(c => c.ProfileId, toProfileId), ct);
        await MoveRedemptionsAsync(db, fromProfileId, toProfileId, ct);
        await MoveLoyaltyAsync(db, fromProfileId, toProfileId, ct);
        await db.Orders.Where(o => o.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(o => o.ProfileId, toProfileId), ct);
        await db.Payments.Where(p => p.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(p => p.ProfileId, toProfileId), ct);
        await db.Set<Shipment>().Where(s => s.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(s => s.ProfileId, toProfileId), ct);
        await db.Set<ReturnRequest>().Where(r => r.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(r => r.ProfileId, toProfileId), ct);
        await db.Set<Subscription>().Where(s => s.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(s => s.ProfileId, toProfileId), ct);
    }

    /// <summary>
    /// Promotions used by either profile count for the person: the merged profile's uses take the slots after the survivor's, so
    /// no two collide (a person may end up past a per-customer limit, having used it twice before anyone knew they were one).
    /// Saved with the caller's unit of work.
    /// </summary>
    private static async Task MoveRedemptionsAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        var moving = await db.PromotionRedemptions.Where(r => r.ProfileId == fromProfileId).ToListAsync(ct);
        if (moving.Count == 0) return;
        var slots = await db.PromotionRedemptions.Where(r => r.ProfileId == toProfileId && r.CustomerSlot != null)
            .GroupBy(r => r.PromotionId).Select(g => new { g.Key, Max = g.Max(r => r.CustomerSlot!.Value) }).ToDictionaryAsync(g => g.Key, g => g.Max, ct);
        foreach (var r in moving.OrderBy(r => r.RedeemedAt))
        {
            r.ProfileId = toProfileId;
            if (r.CustomerSlot is null) continue;
            r.CustomerSlot = slots[r.PromotionId] = slots.GetValueOrDefault(r.PromotionId) + 1;
        }
    }

    /// <summary>
    /// Points add up: every entry moves (the balance is their sum). One membership per person: the survivor's is kept with its
    /// referral code, else the other moves. One referral per friend: the survivor's is kept; a referral between the two profiles
    /// is now someone referring themselves and is refused. Saved with the caller's unit of work.
    /// </summary>
    private static async Task MoveLoyaltyAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        await db.LoyaltyEntries.Where(e => e.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(e => e.ProfileId, toProfileId), ct);
        if (await db.LoyaltyAccounts.AnyAsync(a => a.ProfileId == toProfileId, ct))
            await db.LoyaltyAccounts.Where(a => a.ProfileId == fromProfileId).ExecuteDeleteAsync(ct);
        else
            await db.LoyaltyAccounts.Where(a => a.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(a => a.ProfileId, toProfileId), ct);
        if (await db.Referrals.AnyAsync(r => r.ProfileId == toProfileId, ct))
            await db.Referrals.Where(r => r.ProfileId == fromProfileId).ExecuteDeleteAsync(ct);
        else
            await db.Referrals.Where(r => r.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(r => r.ProfileId, toProfileId), ct);
        await db.Referrals.Where(r => r.ReferrerProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(r => r.ReferrerProfileId, toProfileId), ct);
        await db.Referrals.Where(r => r.ProfileId == toProfileId && r.ReferrerProfileId == toProfileId && r.Status == Loyalty.ReferralStatus.Pending)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, Loyalty.ReferralStatus.Refused).SetProperty(r => r.Reason, "Same customer (profiles merged)"), ct);
    }

    /// <summary>
    /// One cart per person: the survivor's most recent cart is kept (else the merged profile's); lines of any other cart join it,
    /// quantities of the same item adding up within the cart's limit, and the other carts go. Saved with the caller's unit of work.
    /// </summary>
    private static async Task MoveCartsAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        var carts = await db.Carts.Include(c => c.Lines).Where(c => c.ProfileId == fromProfileId || c.ProfileId == toProfileId).ToListAsync(ct);
        if (carts.Count == 0) return;
        var keep = carts.OrderByDescending(c => c.ProfileId == toProfileId).ThenByDescending(c => c.UpdatedAt).First();
        foreach (var other in carts.Where(c => c != keep))
        {
            foreach (var line in other.Lines)
            {
                var same = keep.Lines.FirstOrDefault(l => l.VariantId == line.VariantId);
                if (same is not null)
                {
                    same.Quantity = Math.Min(CartService.MaxQuantity, same.Quantity + line.Quantity);
                    continue;
                }
                var moved = new CartLine { CartId = keep.Id, VariantId = line.VariantId, Quantity = line.Quantity };
                db.CartLines.Add(moved);
                keep.Lines.Add(moved);
            }
            keep.PromoCode ??= other.PromoCode;
            if (other.UpdatedAt > keep.UpdatedAt) keep.UpdatedAt = other.UpdatedAt;
            db.Carts.Remove(other);
        }
        keep.ProfileId = toProfileId;
    }

    /// <summary>
    /// One review per person and product: where both profiles reviewed the same product the survivor's review stands, the other
    /// is removed and the product's rating and count are worked out again from the reviews it keeps.
    /// </summary>
    private static async Task MoveReviewsAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        var reviews = db.Set<Review>();
        var twice = await reviews.Where(r => r.ProfileId == fromProfileId && reviews.Any(o => o.ProfileId == toProfileId && o.ProductId == r.ProductId))
            .Select(r => new { r.Id, r.ProductId }).ToListAsync(ct);
        if (twice.Count > 0)
        {
            var ids = twice.Select(r => r.Id).ToList();
            await reviews.Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(ct);
            foreach (var productId in twice.Select(r => r.ProductId).Distinct())
            {
                var ratings = await reviews.Where(r => r.ProductId == productId).Select(r => r.Rating).ToListAsync(ct);
                var rating = ratings.Count == 0 ? 0 : (int)Math.Round(ratings.Average() * 100, MidpointRounding.AwayFromZero);
                await db.Products.Where(p => p.Id == productId)
                    .ExecuteUpdateAsync(u => u.SetProperty(p => p.ReviewCount, ratings.Count).SetProperty(p => p.RatingX100, rating), ct);
            }
        }
        await reviews.Where(r => r.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(r => r.ProfileId, toProfileId), ct);
    }
}
