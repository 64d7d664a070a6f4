using Centric.Server.Commerce.Contracts;
using Centric.Server.Customers.Contracts;
using Centric.Server.Personalisation.Alerts;
using Centric.Server.Personalisation.Discovery;
using Centric.Server.Personalisation.Recommendations;
using Centric.Server.Platform.Outbox;

namespace Centric.Server.Personalisation;

/// <summary>
/// Personalisation: recommendations wherever a shopper looks (the shop's home page, product pages, the cart, the account
/// page and the API), the business rules and A/B switch staff set for them, and personal discovery (recently viewed, the
/// wish list, listings ordered by what the shopper likes), and price-drop and back-in-stock alerts (Commerce tells when a product
/// is back or cheaper; the alerts go out through Engagement's message sender). It scores with the model Insights trains and keeps active, reads
/// the catalogue through Commerce's public surface, shows its blocks at the places Commerce's pages name, and records what
/// it shows and what is clicked on the timeline. Owns the personalisation_ tables.
/// </summary>
internal static class PersonalisationModule
{
    public static IHostApplicationBuilder AddPersonalisation(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<PersonalisationSettings>();
        services.AddScoped<Recommender>();
        services.AddScoped<ShopperHistory>();
        services.AddSingleton<ShopperHistoryCache>();
        services.AddInteractionSubscriber<ShopperHistoryRefresh>();
        services.AddScoped<RecommendationTracking>();
        services.AddScoped<RecommendationStats>();
        services.AddScoped<WishList>();
        services.AddScoped<RecentlyViewed>();
        services.AddScoped<ProductAlerts>();
        services.AddScoped<IProductNewsListener>(sp => sp.GetRequiredService<ProductAlerts>());
        services.AddScoped<IShopperAffinity, ShopperAffinities>();
        services.AddScoped<Engagement.Contracts.IMessageRecommendations, MessageRecommendations>();
        services.AddSingleton<IPersonalData, PersonalisationPersonalData>();
        services.AddSingleton(new ShopBlock(ShopPlace.Home, typeof(RecommendationShelf)));
        services.AddSingleton(new ShopBlock(ShopPlace.Home, typeof(RecentlyViewedShelf), Order: 1));
        services.AddSingleton(new ShopBlock(ShopPlace.Product, typeof(RecommendationShelf)));
        services.AddSingleton(new ShopBlock(ShopPlace.ProductActions, typeof(WishListButton)));
        services.AddSingleton(new ShopBlock(ShopPlace.ProductActions, typeof(AlertButtons), Order: 1));
        services.AddSingleton(new ShopBlock(ShopPlace.Cart, typeof(RecommendationShelf)));
        return builder;
    }

    public static IEndpointRouteBuilder MapPersonalisationApi(this IEndpointRouteBuilder app) => app.MapRecommendationsApi().MapWishListEndpoints().MapAlertsApi();
}
