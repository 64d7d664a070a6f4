using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Contracts;

/// <summary>A product review's words and stars, as Insights learns sentiment from them (the stars are the label).</summary>
public sealed record ReviewText(Guid ProfileId, int Rating, string Text, DateTime WrittenAt);

/// <summary>What Commerce tells other modules about the text of reviews.</summary>
public sealed class ReviewTexts(CentricDbContext db)
{
    /// <summary>Reviews written since <paramref name="from"/> with some text, newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<ReviewText>> SinceAsync(DateTime from, int limit, CancellationToken ct) =>
        (await db.Set<Reviews.Review>().AsNoTracking().Where(r => r.CreatedAt >= from && r.Body != "").OrderByDescending(r => r.CreatedAt).Take(limit)
            .Select(r => new { r.ProfileId, r.Rating, r.Title, r.Body, r.CreatedAt }).ToListAsync(ct))
        .Select(r => new ReviewText(r.ProfileId, r.Rating, string.IsNullOrWhiteSpace(r.Title) ? r.Body : r.Title + ". " + r.Body, r.CreatedAt)).ToList();

    /// <summary>The customer's review of this product (one per customer and product), or null.</summary>
    public async Task<ReviewText?> ForAsync(Guid profileId, Guid productId, CancellationToken ct) =>
        await db.Set<Reviews.Review>().AsNoTracking().Where(r => r.ProfileId == profileId && r.ProductId == productId)
            .Select(r => new { r.ProfileId, r.Rating, r.Title, r.Body, r.CreatedAt }).FirstOrDefaultAsync(ct) is { } r
            ? new ReviewText(r.ProfileId, r.Rating, string.IsNullOrWhiteSpace(r.Title) ? r.Body : r.Title + ". " + r.Body, r.CreatedAt)
            : null;
}
