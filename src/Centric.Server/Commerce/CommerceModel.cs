using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Loyalty;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Promotions;
using Centric.Server.Commerce.Returns;
using Centric.Server.Commerce.Reviews;
using Centric.Server.Commerce.Wallet;
using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Commerce.Shipments;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Product> Products => Set<Product>();
    public DbSet<ProductVariant> Variants => Set<ProductVariant>();
    public DbSet<ProductSlugRedirect> ProductSlugRedirects => Set<ProductSlugRedirect>();
    public DbSet<ProductImage> ProductImages => Set<ProductImage>();
    public DbSet<StockLocation> StockLocations => Set<StockLocation>();
    public DbSet<StockLevel> StockLevels => Set<StockLevel>();
    public DbSet<StockReservation> StockReservations => Set<StockReservation>();
    public DbSet<Cart> Carts => Set<Cart>();
    public DbSet<CartLine> CartLines => Set<CartLine>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderLine> OrderLines => Set<OrderLine>();
    public DbSet<Promotion> Promotions => Set<Promotion>();
    public DbSet<PromotionRedemption> PromotionRedemptions => Set<PromotionRedemption>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<LoyaltyEntry> LoyaltyEntries => Set<LoyaltyEntry>();
    public DbSet<LoyaltyAccount> LoyaltyAccounts => Set<LoyaltyAccount>();
    public DbSet<LoyaltyProgram> LoyaltyPrograms => Set<LoyaltyProgram>();
    public DbSet<Referral> Referrals => Set<Referral>();
    public DbSet<LoyaltyDailyRun> LoyaltyDailyRuns => Set<LoyaltyDailyRun>();

    static partial void ConfigureCommerce(ModelBuilder builder)
    {
        builder.Entity<Category>(e =>
        {
            e.ToTable("commerce_categories");
            e.Property(c => c.Slug).HasMaxLength(100);
            e.Property(c => c.Name).HasMaxLength(200);
            e.HasIndex(c => c.Slug).IsUnique();
        });
        builder.Entity<Product>(e =>
        {
            e.ToTable("commerce_products");
            e.Property(p => p.Slug).HasMaxLength(200);
            e.Property(p => p.Name).HasMaxLength(300);
            e.Property(p => p.Brand).HasMaxLength(100);
            e.Property(p => p.SearchText).HasMaxLength(2000);
            e.HasIndex(p => p.Slug).IsUnique();
            e.HasIndex(p => p.CategoryId);
            e.Ignore(p => p.Rating);
        });
        builder.Entity<ProductSlugRedirect>(e =>
        {
            e.ToTable("commerce_product_slug_redirects");
            e.Property(r => r.Slug).HasMaxLength(200);
            e.HasIndex(r => r.Slug).IsUnique();
            e.HasIndex(r => r.ProductId);
        });
        builder.Entity<ProductImage>(e =>
        {
            e.ToTable("commerce_product_images");
            e.Property(i => i.ContentType).HasMaxLength(20);
            e.Property(i => i.Sha256).HasMaxLength(64);
            e.HasIndex(i => new { i.ProductId, i.CreatedAt });
        });
        builder.Entity<ProductImageRendition>(e =>
        {
            e.ToTable("commerce_product_image_renditions");
            e.HasKey(r => new { r.ImageId, r.Width });
        });
        builder.Entity<ProductVariant>(e =>
        {
            e.ToTable("commerce_variants");
            e.Property(v => v.Sku).HasMaxLength(64);
            e.Property(v => v.Gtin).HasMaxLength(14);
            e.Property(v => v.Options).HasMaxLength(200);
            e.Property(v => v.Currency).HasMaxLength(3);
            e.HasIndex(v => v.Sku).IsUnique();
            e.HasIndex(v => v.Gtin);
            e.HasIndex(v => v.ProductId);
            e.Ignore(v => v.Price);
        });
        builder.Entity<StockLocation>(e =>
        {
            e.ToTable("commerce_stock_locations");
            e.Property(l => l.Code).HasMaxLength(20);
            e.HasIndex(l => l.Code).IsUnique();
        });
        builder.Entity<StockLevel>(e =>
        {
            e.ToTable("commerce_stock_levels");
            e.HasKey(s => new { s.VariantId, s.LocationId });
            e.Ignore(s => s.Available);
        });
        builder.Entity<StockReservation>(e =>
        {
            e.ToTable("commerce_stock_reservations");
            e.HasIndex(r => r.OrderId);
            e.HasIndex(r => new { r.Status, r.ExpiresAt });
        });
        builder.Entity<Cart>(e =>
        {
            e.ToTable("commerce_carts");
            e.Property(c => c.Token).HasMaxLength(64);
            e.Property(c => c.PromoCode).HasMaxLength(40);
            e.HasIndex(c => c.Token).IsUnique();
            e.HasIndex(c => c.ProfileId);
            e.HasMany(c => c.Lines).WithOne().HasForeignKey(l => l.CartId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<CartLine>(e => e.ToTable("commerce_cart_lines"));
        builder.Entity<Order>(e =>
        {
            e.ToTable("commerce_orders");
            e.Property(o => o.Number).HasMaxLength(20);
            e.Property(o => o.Email).HasMaxLength(320);
            e.Property(o => o.Currency).HasMaxLength(3);
            e.Property(o => o.ShippingMethod).HasMaxLength(30);
            e.Property(o => o.IdempotencyKey).HasMaxLength(64);
            e.HasIndex(o => o.Number).IsUnique();
            e.HasIndex(o => o.IdempotencyKey).IsUnique();
            e.HasIndex(o => new { o.ProfileId, o.PlacedAt });
            e.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
            e.Ignore(o => o.Total);
            // Two nodes (or a payment and the expiry job) moving the same order: the second write fails instead of doubling side effects.
            e.Property(o => o.Status).IsConcurrencyToken();
            e.Ignore(o => o.CanCancel);
        });
        builder.Entity<OrderLine>(e =>
        {
            e.ToTable("commerce_order_lines");
            e.Property(l => l.Sku).HasMaxLength(64);
            e.Property(l => l.Name).HasMaxLength(300);
            e.Property(l => l.Category).HasMaxLength(100);
        });
        builder.Entity<Promotion>(e =>
        {
            e.ToTable("commerce_promotions");
            e.Property(p => p.Name).HasMaxLength(120);
            e.Property(p => p.Code).HasMaxLength(40);
            e.Property(p => p.Currency).HasMaxLength(3);
            e.Property(p => p.TargetSku).HasMaxLength(64);
            e.Property(p => p.TargetCategory).HasMaxLength(100);
            e.Property(p => p.SegmentName).HasMaxLength(200);
            e.Property(p => p.LoyaltyTier).HasMaxLength(40);
            e.Property(p => p.CreatedBy).HasMaxLength(256);
            e.HasIndex(p => p.Code).IsUnique();
            e.Ignore(p => p.IsAutomatic);
        });
        builder.Entity<PromotionRedemption>(e =>
        {
            e.ToTable("commerce_promotion_redemptions");
            e.Property(r => r.OrderNumber).HasMaxLength(20);
            e.Property(r => r.Code).HasMaxLength(40);
            e.Property(r => r.Currency).HasMaxLength(3);
            e.HasIndex(r => r.OrderId);
            // A customer's n-th use of a promotion is taken once: the per-customer limit holds under concurrent checkouts.
            // Released redemptions have no slot (NULLs never collide on SQLite or PostgreSQL).
            e.HasIndex(r => new { r.PromotionId, r.ProfileId, r.CustomerSlot }).IsUnique();
            e.HasIndex(r => new { r.ProfileId, r.PromotionId });
            e.HasOne<Promotion>().WithMany().HasForeignKey(r => r.PromotionId);
        });
        builder.Entity<Shipment>(e =>
        {
            e.ToTable("commerce_shipments");
            e.Property(x => x.Carrier).HasMaxLength(30);
            e.Property(x => x.TrackingNumber).HasMaxLength(40);
            e.HasIndex(x => new { x.Carrier, x.TrackingNumber }).IsUnique();
            e.HasIndex(x => x.OrderId);
        });
        builder.Entity<ShipmentEvent>(e =>
        {
            e.ToTable("commerce_shipment_events");
            e.Property(x => x.ExternalId).HasMaxLength(140);
            e.Property(x => x.Code).HasMaxLength(30);
            e.Property(x => x.Description).HasMaxLength(300);
            e.Property(x => x.Location).HasMaxLength(100);
            e.HasIndex(x => x.ExternalId).IsUnique();
            e.HasIndex(x => x.ShipmentId);
        });
        builder.Entity<ReturnRequest>(e =>
        {
            e.ToTable("commerce_returns");
            e.Property(r => r.Number).HasMaxLength(20);
            e.Property(r => r.Reason).HasMaxLength(40);
            e.Property(r => r.Comment).HasMaxLength(1000);
            e.HasIndex(r => r.Number).IsUnique();
            e.HasIndex(r => r.OrderId);
            e.HasIndex(r => new { r.Status, r.CreatedAt });
            e.HasMany(r => r.Lines).WithOne().HasForeignKey(l => l.ReturnRequestId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ReturnLine>(e => e.ToTable("commerce_return_lines"));
        builder.Entity<Subscription>(e =>
        {
            e.ToTable("commerce_subscriptions");
            e.Property(x => x.Email).HasMaxLength(320);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.PaymentToken).HasMaxLength(200);
            e.HasIndex(x => x.ProfileId);
            e.HasIndex(x => new { x.Status, x.NextRenewalAt });
        });
        builder.Entity<Review>(e =>
        {
            e.ToTable("commerce_reviews");
            e.Property(r => r.Title).HasMaxLength(200);
            e.Property(r => r.Body).HasMaxLength(4000);
            e.Property(r => r.AuthorName).HasMaxLength(100);
            e.HasIndex(r => new { r.ProductId, r.ProfileId }).IsUnique();
            e.HasIndex(r => new { r.ProductId, r.CreatedAt });
        });
        builder.Entity<SavedCard>(e =>
        {
            e.ToTable("commerce_saved_cards");
            e.Property(c => c.Token).HasMaxLength(200);
            e.Property(c => c.Brand).HasMaxLength(20);
            e.Property(c => c.Last4).HasMaxLength(4);
            e.HasIndex(c => c.ProfileId);
        });
        builder.Entity<SavedAddress>(e =>
        {
            e.ToTable("commerce_saved_addresses");
            e.Property(a => a.Name).HasMaxLength(100);
            e.Property(a => a.Line1).HasMaxLength(200);
            e.Property(a => a.Line2).HasMaxLength(200);
            e.Property(a => a.City).HasMaxLength(100);
            e.Property(a => a.PostalCode).HasMaxLength(10);
            e.Property(a => a.Country).HasMaxLength(2);
            e.HasIndex(a => a.ProfileId);
        });
        builder.Entity<Payment>(e =>
        {
            e.ToTable("commerce_payments");
            e.Property(p => p.Currency).HasMaxLength(3);
            e.Property(p => p.Gateway).HasMaxLength(30);
            e.Property(p => p.CardFingerprint).HasMaxLength(40);
            e.HasIndex(p => p.CardFingerprint);
            e.Property(p => p.IdempotencyKey).HasMaxLength(100);
            e.HasIndex(p => p.IdempotencyKey).IsUnique();
            e.HasIndex(p => p.OrderId);
        });
        ConfigureLoyalty(builder);
    }

    private static void ConfigureLoyalty(ModelBuilder builder)
    {
        builder.Entity<LoyaltyEntry>(e =>
        {
            e.ToTable("commerce_loyalty_entries");
            e.Property(x => x.SourceKey).HasMaxLength(120);
            e.Property(x => x.OrderNumber).HasMaxLength(20);
            e.Property(x => x.Note).HasMaxLength(200);
            // What caused an entry earns or spends once, however often it is handled.
            e.HasIndex(x => x.SourceKey).IsUnique();
            e.HasIndex(x => new { x.ProfileId, x.CreatedAt });
            e.HasIndex(x => x.OrderId);
            e.HasIndex(x => x.ExpiresAt);
            e.HasIndex(x => x.LotId);
        });
        builder.Entity<LoyaltyAccount>(e =>
        {
            e.ToTable("commerce_loyalty_accounts");
            e.Property(x => x.ReferralCode).HasMaxLength(16);
            e.Property(x => x.Tier).HasMaxLength(40);
            e.HasIndex(x => x.ProfileId).IsUnique();
            e.HasIndex(x => x.ReferralCode).IsUnique();
        });
        builder.Entity<LoyaltyProgram>(e =>
        {
            e.ToTable("commerce_loyalty_programs");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.UpdatedBy).HasMaxLength(256);
            // The tiers are a short list always read and written with the programme: kept as JSON text on both databases.
            e.Property(x => x.Tiers).HasMaxLength(4000).HasConversion(
                tiers => System.Text.Json.JsonSerializer.Serialize(tiers, System.Text.Json.JsonSerializerOptions.Web),
                json => System.Text.Json.JsonSerializer.Deserialize<List<LoyaltyTier>>(json, System.Text.Json.JsonSerializerOptions.Web) ?? new List<LoyaltyTier>(),
                new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<LoyaltyTier>>(
                    (a, b) => a!.SequenceEqual(b!), l => l.Aggregate(0, (h, t) => HashCode.Combine(h, t.GetHashCode())), l => l.ToList()));
        });
        builder.Entity<Referral>(e =>
        {
            e.ToTable("commerce_referrals");
            e.Property(x => x.Code).HasMaxLength(16);
            e.Property(x => x.OrderNumber).HasMaxLength(20);
            e.Property(x => x.Reason).HasMaxLength(200);
            // A customer is referred once: by the code on their first order.
            e.HasIndex(x => x.ProfileId).IsUnique();
            e.HasIndex(x => new { x.ReferrerProfileId, x.Status });
            e.HasIndex(x => new { x.Status, x.CreatedAt });
        });
        builder.Entity<LoyaltyDailyRun>(e =>
        {
            e.ToTable("commerce_loyalty_daily_runs");
            e.HasKey(x => new { x.Job, x.Day });
            e.Property(x => x.Job).HasMaxLength(40);
        });
    }
}
