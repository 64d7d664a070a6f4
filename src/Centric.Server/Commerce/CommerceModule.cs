using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;

namespace Centric.Server.Commerce;

internal static class CommerceModule
{
    public static IHostApplicationBuilder AddCommerce(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CommerceOptions>().BindConfiguration("Commerce");
        services.AddScoped<Shopper>();
        services.AddScoped<CatalogService>();
        services.AddScoped<DemoCatalog>();
        services.AddScoped<InventoryService>();
        services.AddScoped<CartService>();
        services.AddScoped<CheckoutService>();
        services.AddScoped<PaymentService>();
        services.AddScoped<OrderService>();
        services.AddKeyedSingleton<IPaymentGateway, SandboxGateway>(SandboxGateway.Name);
        services.AddHostedService<UnpaidOrderExpiry>();
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
        return app;
    }
}
