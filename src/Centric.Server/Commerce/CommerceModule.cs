using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Promotions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Outbox;
using Centric.Server.Commerce.Returns;
using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Platform.Signing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Centric.Server.Commerce;

internal static class CommerceModule
{
    public static IHostApplicationBuilder AddCommerce(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CommerceOptions>().BindConfiguration("Commerce").ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<CatalogService>();
        services.AddScoped<Platform.Import.IImporter, Import.OrderImport>();
        services.AddScoped<DemoCatalog>();
        services.AddScoped<ProductImages>();
        services.AddScoped<CatalogCsv>();
        services.AddScoped<ProductNewsDesk>();
        services.AddScoped<VariantChanges>();
        services.AddScoped<ProductAddresses>();
        services.AddScoped<Platform.Seo.IPublicPages, ShopPublicPages>();
        services.AddScoped<InventoryService>();
        services.AddScoped<CartService>();
        services.AddSingleton<CommerceTelemetry>();
        services.AddScoped<CheckoutService>();
        services.AddScoped<Promotions.PromotionCheckout>();
        services.AddScoped<Promotions.PromotionService>();
        services.AddScoped<Loyalty.LoyaltyLedger>();
        services.AddScoped<Loyalty.LoyaltyProgramService>();
        services.AddScoped<Loyalty.MemberLoyalty>();
        services.AddScoped<Loyalty.Referrals>();
        services.AddScoped<Loyalty.LoyaltyJobs>();
        services.AddScoped<Customers.Contracts.ICustomerHighlights, Loyalty.LoyaltyHighlights>();
        services.AddHostedService<Loyalty.LoyaltyDailyWork>();
        services.AddScoped<PaymentService>();
        services.AddScoped<OrderService>();
        services.AddScoped<Contracts.OrderLookup>();
        services.AddScoped<Contracts.ReviewTexts>();
        services.AddScoped<Contracts.CatalogFacts>();
        services.AddScoped<Contracts.ShopItems>();
        services.TryAddScoped<Contracts.IShopperAffinity, Contracts.NoShopperAffinity>();
        services.AddKeyedSingleton<IPaymentGateway, SandboxGateway>(SandboxGateway.Name);
        services.AddHostedService<UnpaidOrderExpiry>();
        services.AddOptions<Shipments.CarrierOptions>().BindConfiguration("Carriers");
        services.AddScoped<Shipments.CarrierEvents>();
        services.AddOptions<Returns.ReturnOptions>().BindConfiguration("Returns");
        services.AddScoped<Returns.ReturnService>();
        services.AddScoped<Subscriptions.SubscriptionService>();
        services.AddScoped<Reviews.ReviewService>();
        services.AddScoped<Wallet.WalletService>();
        services.AddSingleton<IPersonalData, CommercePersonalData>();
        services.AddScoped<Customers.Contracts.ICustomerHighlights, Orders.CommerceHighlights>();
        services.AddHostedService<Subscriptions.SubscriptionRenewals>();
        services.AddSingleton<Shipments.OrderLiveFeed>();
        services.AddInteractionSubscriber<Shipments.LiveOrderUpdates>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCommerceApi(this IEndpointRouteBuilder app)
    {
        // Suggestions as you type in the shop's search box.
        app.MapGet("/shop/suggest", async (string? q, CatalogService catalog, CancellationToken ct) =>
                TypedResults.Ok(await catalog.SuggestAsync(q, ct)))
            .ExcludeFromDescription();
        // A scanned or typed barcode opens its product.
        app.MapGet("/shop/gtin/{gtin}", async (string gtin, CatalogService catalog, CancellationToken ct) =>
                await catalog.SlugForGtinAsync(gtin.Trim(), ct) is { } slug ? Results.Redirect($"/shop/{slug}") : Results.Redirect($"/shop?q={Uri.EscapeDataString(gtin)}&notfound=1"))
            .ExcludeFromDescription();
        app.MapGet("/shop/barcode", (string? gtin) =>
                Results.Redirect(string.IsNullOrWhiteSpace(gtin) ? "/shop" : $"/shop/gtin/{Uri.EscapeDataString(gtin.Trim())}"))
            .ExcludeFromDescription();
        // Catalog as CSV for staff (download; upload goes through the console page).
        app.MapGet("/console/products/export.csv", async (CatalogCsv csv, CancellationToken ct) =>
                Results.File(System.Text.Encoding.UTF8.GetBytes(await csv.ExportAsync(ct)), "text/csv", "catalog.csv"))
            .RequireAuthorization(Platform.Identity.Policies.Catalog).ExcludeFromDescription();
        // Carrier tracking webhook: HMAC-signed with the carrier's shared secret (see docs/commerce.md).
        app.MapPost("/api/v1/carriers/{carrier}/events", async (string carrier, HttpRequest request, Shipments.CarrierEvents carriers,
                IOptions<Shipments.CarrierOptions> options, InboundWebhooks webhooks, CommerceTelemetry telemetry, CancellationToken ct) =>
            {
                if (webhooks.SecretOrNull(options.Value.Secrets.GetValueOrDefault(carrier)) is not { } secret)
                    return InboundWebhooks.Off($"carrier '{carrier}'", $"Carriers:Secrets:{carrier}");
                if (await InboundWebhooks.ReadBodyAsync(request, 64 * 1024, ct) is not { } body) return InboundWebhooks.TooLarge();
                if (!carriers.Verify(secret, request.Headers["Carrier-Signature"], body))
                {
                    telemetry.CarrierEventRefused("bad or stale signature");
                    return Results.Problem(statusCode: 401, type: Platform.Errors.ProblemTypes.Unauthorized, title: "Bad or stale signature.");
                }
                Shipments.CarrierEvent? e;
                try { e = System.Text.Json.JsonSerializer.Deserialize<Shipments.CarrierEvent>(body, Platform.Http.InputJson.Options); }
                catch (System.Text.Json.JsonException) { e = null; }
                if (e is null || string.IsNullOrWhiteSpace(e.TrackingNumber) || string.IsNullOrWhiteSpace(e.Code))
                    return Results.Problem(statusCode: 400, type: Platform.Errors.ProblemTypes.Validation, title: "Expected {trackingNumber, eventId, code, description, location, occurredAt}.");
                var applied = await carriers.ApplyAsync(carrier, e, ct);
                if (applied) telemetry.CarrierEventApplied(e.TrackingNumber, e.Code);
                return Results.Ok(new { applied });
            })
            .Accepts<Shipments.CarrierEvent>("application/json").DisableAntiforgery().WithTags("Commerce").WithName("CarrierEvent").WithSummary("A carrier reports a tracking event (signed).");
        // The headless API: the catalogue for anyone; cart, checkout, orders, returns and subscriptions for the signed-in customer.
        app.MapCatalogApi();
        app.MapProductImages();
        app.MapCheckoutApi();
        app.MapPromotionsApi();
        Loyalty.LoyaltyApi.MapLoyaltyApi(app);
        app.MapOrdersApi();
        app.MapReturnsApi();
        app.MapSubscriptionsApi();
        return app;
    }
}
