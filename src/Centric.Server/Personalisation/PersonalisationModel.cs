using Centric.Server.Personalisation;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    public DbSet<WishListItem> WishListItems => Set<WishListItem>();
    public DbSet<RecommendationRule> RecommendationRules => Set<RecommendationRule>();
    public DbSet<PlacementSetting> PlacementSettings => Set<PlacementSetting>();
    public DbSet<ProductAlert> ProductAlerts => Set<ProductAlert>();

    static partial void ConfigurePersonalisation(ModelBuilder builder)
    {
        builder.Entity<WishListItem>(e =>
        {
            e.ToTable("personalisation_wish_list_items");
            e.HasIndex(w => new { w.ProfileId, w.ProductId }).IsUnique();
        });
        builder.Entity<ProductAlert>(e =>
        {
            e.ToTable("personalisation_alerts");
            e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(a => new { a.ProfileId, a.ProductId, a.Kind }).IsUnique();
            // A restock or a price change finds the alerts waiting on its product.
            e.HasIndex(a => new { a.ProductId, a.Kind, a.Status });
        });
        builder.Entity<RecommendationRule>(e =>
        {
            e.ToTable("personalisation_rules");
            e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(30);
            e.Property(r => r.Category).HasMaxLength(200);
            e.Property(r => r.Placement).HasMaxLength(40);
            e.Property(r => r.CreatedBy).HasMaxLength(256);
        });
        builder.Entity<PlacementSetting>(e =>
        {
            e.ToTable("personalisation_placements");
            e.HasKey(p => p.Placement);
            e.Property(p => p.Placement).HasMaxLength(40);
            e.Property(p => p.Mode).HasConversion<string>().HasMaxLength(20);
            e.Property(p => p.ChangedBy).HasMaxLength(256);
        });
    }
}
