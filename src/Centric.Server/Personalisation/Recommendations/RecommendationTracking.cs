using System.Globalization;
using Centric.Server.Commerce.Contracts;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;

namespace Centric.Server.Personalisation.Recommendations;

/// <summary>
/// Every list shown and every click is an interaction on the shopper's timeline, with the placement, the A/B arm and the
/// model version, so click-through and conversion can be measured per placement and arm. A click goes through
/// <c>/recommendations/click</c>, a plain link that records it and redirects to the product, so it counts without JavaScript.
/// </summary>
internal sealed class RecommendationTracking(CentricDbContext db, InteractionLog interactions)
{
    public const string ClickPath = "recommendations/click";

    /// <summary>A list a page showed, written with the page's other interactions once it has rendered.</summary>
    public static void Shown(PageInteractions page, Guid profileId, RecommendationList list, Guid? forProduct)
    {
        if (list.Items.Count == 0) return;
        page.Add(profileId, InteractionTypes.RecommendationShown, "web",
            new RecommendationShownProperties(list.Placement.Key, list.Arm, list.ModelVersion, [.. list.Items.Select(i => i.Item.ProductId)], forProduct));
    }

    /// <summary>A list the demo history says was shown (before any model was trained, so without a version).</summary>
    public async Task ShownDemoAsync(Guid profileId, Placement placement, string arm, Guid[] products, CancellationToken ct)
    {
        interactions.Append(db, profileId, InteractionTypes.RecommendationShown, "web", new RecommendationShownProperties(placement.Key, arm, null, products));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The link a recommended product's tile points at (relative to the base address).</summary>
    public static string ClickLink(RecommendationList list, Recommendation item, int position) =>
        $"{ClickPath}?placement={list.Placement.Key}&product={item.Item.ProductId:N}&arm={list.Arm}"
        + (list.ModelVersion is { } v ? $"&version={v.ToString(CultureInfo.InvariantCulture)}" : "") + $"&position={position.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Records the click and answers where to go: the product's page, or the shop when the product is no longer for sale.</summary>
    public static async Task<IResult> ClickAsync(string? placement, string? product, string? arm, int? version, int? position,
        IVisitor visitor, ShopItems shop, RecommendationTracking tracking, CancellationToken ct)
    {
        var snapshot = await shop.SnapshotAsync(ct);
        if (!Guid.TryParse(product, out var productId) || !snapshot.ById.TryGetValue(productId, out var item)) return Results.Redirect("/shop");
        var target = "/shop/" + Uri.EscapeDataString(item.Slug);
        // A link edited by hand still leads to the product; only a well-formed click is counted.
        if (Placement.Find(placement) is { } where && arm is Arms.Model or Arms.Popularity && position is >= 1 and <= Recommender.MaxLimit && version is null or >= 1)
        {
            await tracking.ClickedAsync(await visitor.TrackingProfileAsync(ct), new RecommendationClickedProperties(where.Key, arm, version, productId, position.Value), ct);
        }
        return Results.Redirect(target);
    }

    public async Task ClickedAsync(Guid profileId, RecommendationClickedProperties click, CancellationToken ct)
    {
        interactions.Append(db, profileId, InteractionTypes.RecommendationClicked, "web", click, sourceKind: "product", sourceId: click.ProductId.ToString());
        await db.SaveChangesAsync(ct);
    }
}
