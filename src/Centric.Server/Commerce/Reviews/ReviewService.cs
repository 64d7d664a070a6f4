using Centric.Server.Commerce.Orders;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Reviews;

/// <summary>A customer's rating and words about a product; one per customer and product.</summary>
public sealed class Review
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProductId { get; set; }
    public Guid ProfileId { get; set; }
    public int Rating { get; set; }
    public string? Title { get; set; }
    public string Body { get; set; } = "";
    public required string AuthorName { get; set; }
    /// <summary>The customer had paid for this product when they wrote the review.</summary>
    public bool VerifiedPurchase { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class ReviewService(CentricDbContext db, InteractionLog interactions, Loyalty.LoyaltyLedger loyalty, TimeProvider clock)
{
    public Task<List<Review>> LatestAsync(Guid productId, int take, CancellationToken ct) =>
        db.Set<Review>().AsNoTracking().Where(r => r.ProductId == productId).OrderByDescending(r => r.CreatedAt).Take(take).ToListAsync(ct);

    /// <summary>Whether this customer has reviewed the product (one review per customer and product).</summary>
    public Task<bool> HasReviewedAsync(Guid productId, Guid profileId, CancellationToken ct) =>
        db.Set<Review>().AnyAsync(r => r.ProductId == productId && r.ProfileId == profileId, ct);

    public async Task<Review> SubmitAsync(Guid productId, Guid profileId, string authorName, int rating, string? title, string? body, CancellationToken ct)
    {
        if (rating is < 1 or > 5) throw RequestValidationException.For("rating", "Give 1 to 5 stars.");
        if (body?.Length > 4000 || title?.Length > 200) throw RequestValidationException.For("body", "At most 4,000 characters (title 200).");
        if (await HasReviewedAsync(productId, profileId, ct))
            throw new DomainException("review-exists", "You have already reviewed this product.");
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == productId, ct) ?? throw new DomainException("product-not-found", "No such product.", 404);
        var bought = await db.OrderLines.AnyAsync(l => l.ProductId == productId &&
            db.Orders.Any(o => o.Id == l.OrderId && o.ProfileId == profileId && o.PaidAt != null && o.Status != OrderStatus.Cancelled), ct);
        var review = new Review
        {
            ProductId = productId, ProfileId = profileId, Rating = rating, Title = title?.Trim(), Body = body?.Trim() ?? "",
            AuthorName = authorName, VerifiedPurchase = bought, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Add(review);
        // The rating kept on the product is the running mean, so lists sort and filter without aggregating.
        var total = product.RatingX100 * (long)product.ReviewCount + rating * 100L;
        product.ReviewCount++;
        product.RatingX100 = (int)Math.Round((double)total / product.ReviewCount, MidpointRounding.AwayFromZero);
        interactions.Append(db, profileId, InteractionTypes.ReviewSubmitted, "web", new ReviewSubmittedProperties(productId, rating, bought, review.Body.Length),
            sourceKind: "product", sourceId: productId.ToString());
        await loyalty.EarnForReviewAsync(profileId, productId, product.Name, ct);
        await db.SaveChangesAsync(ct);
        return review;
    }
}
