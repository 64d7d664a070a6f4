using Centric.Server.Insights.Costs;
using Centric.Server.Insights.Kpis;
using Centric.Server.Insights.Models;
using Centric.Server.Insights.Scores;
using Centric.Server.Insights.Sentiment;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<TrainingRun> TrainingRuns => Set<TrainingRun>();
    public DbSet<ProfileInsight> ProfileInsights => Set<ProfileInsight>();
    public DbSet<TextSentiment> TextSentiments => Set<TextSentiment>();
    public DbSet<CountedOrder> CountedOrders => Set<CountedOrder>();
    public DbSet<RevenueAdjustment> RevenueAdjustments => Set<RevenueAdjustment>();
    public DbSet<KpiReportRecipient> KpiReportRecipients => Set<KpiReportRecipient>();
    public DbSet<KpiReportSend> KpiReportSends => Set<KpiReportSend>();
    public DbSet<CountedOrderLine> CountedOrderLines => Set<CountedOrderLine>();
    public DbSet<FirstOrder> FirstOrders => Set<FirstOrder>();
    public DbSet<ProductVisit> ProductVisits => Set<ProductVisit>();
    public DbSet<KpiDay> KpiDays => Set<KpiDay>();
    public DbSet<CustomerNumber> CustomerNumbers => Set<CustomerNumber>();
    public DbSet<CustomerDay> CustomerDays => Set<CustomerDay>();
    public DbSet<Centric.Server.Insights.Models.ChurnDefinition> ChurnDefinitions => Set<Centric.Server.Insights.Models.ChurnDefinition>();
    public DbSet<CostDriver> CostDrivers => Set<CostDriver>();
    public DbSet<CostRate> CostRates => Set<CostRate>();
    public DbSet<Centric.Server.Insights.Croi.CroiWeight> CroiWeights => Set<Centric.Server.Insights.Croi.CroiWeight>();

    static partial void ConfigureInsights(ModelBuilder builder)
    {
        builder.Entity<Centric.Server.Insights.Croi.CroiWeight>(e =>
        {
            e.ToTable("insights_croi_weights");
            e.HasKey(w => w.Part);
            e.Property(w => w.Part).HasMaxLength(30);
        });
        builder.Entity<ModelVersion>(e =>
        {
            e.ToTable("insights_model_versions");
            e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(m => m.Decision).HasMaxLength(500);
            e.HasIndex(m => new { m.Kind, m.Version }).IsUnique();
            // At most one active version per kind.
            e.HasIndex(m => m.Kind).IsUnique().HasFilter("\"IsActive\"").HasDatabaseName("IX_insights_model_versions_Kind_active");
        });
        builder.Entity<TrainingRun>(e =>
        {
            e.ToTable("insights_training_runs");
            e.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(r => r.Trigger).HasMaxLength(20);
            e.Property(r => r.RequestedBy).HasMaxLength(256);
            e.Property(r => r.SlotKey).HasMaxLength(100);
            e.Property(r => r.Stage).HasMaxLength(200);
            e.Property(r => r.Error).HasMaxLength(2000);
            e.HasIndex(r => r.SlotKey).IsUnique();
            e.HasIndex(r => new { r.Status, r.RequestedAt });
        });
        builder.Entity<ProfileInsight>(e =>
        {
            e.ToTable("insights_profile_scores");
            e.HasIndex(p => p.ProfileId);
            e.Property(p => p.ChurnReasons).HasMaxLength(1000);
            e.Property(p => p.DecileBy).HasMaxLength(10);
            e.Ignore(p => p.Reasons);
            // The customer list filters and sorts by these.
            e.HasIndex(p => p.Decile);
            e.HasIndex(p => p.ChurnRisk);
        });
        builder.Entity<CountedOrder>(e =>
        {
            e.ToTable("insights_order_facts");
            e.HasKey(f => f.OrderId);
            e.Property(f => f.Channel).HasMaxLength(40);
            e.Property(f => f.Currency).HasMaxLength(3);
            // KPIs read a range of days (optionally one channel); new customers need each profile's first order.
            e.HasIndex(f => f.PlacedAt);
            e.HasIndex(f => new { f.ProfileId, f.PlacedAt });
            // Order cycle time reads the orders delivered in a range.
            e.HasIndex(f => f.DeliveredAt);
        });
        builder.Entity<RevenueAdjustment>(e =>
        {
            e.ToTable("insights_revenue_adjustments");
            e.Property(a => a.Channel).HasMaxLength(40);
            e.Property(a => a.Kind).HasMaxLength(20);
            e.HasIndex(a => a.At);
            e.HasIndex(a => a.ProfileId);
            // Penetration leaves out the lines of cancelled orders.
            e.HasIndex(a => a.OrderId);
        });
        builder.Entity<CountedOrderLine>(e =>
        {
            e.ToTable("insights_order_lines");
            e.HasKey(l => new { l.OrderId, l.Line });
            e.Property(l => l.Category).HasMaxLength(100);
            // Penetration reads a range of days per customer.
            e.HasIndex(l => l.PlacedAt);
            e.HasIndex(l => new { l.ProfileId, l.PlacedAt });
        });
        builder.Entity<Centric.Server.Insights.Models.ChurnDefinition>(e =>
        {
            e.ToTable("insights_churn_definition");
            e.Property(d => d.Id).ValueGeneratedNever();
            e.Property(d => d.UpdatedBy).HasMaxLength(256);
        });
        builder.Entity<FirstOrder>(e =>
        {
            e.ToTable("insights_first_orders");
            e.HasKey(f => f.ProfileId);
            e.HasIndex(f => f.PlacedAt);
        });
        builder.Entity<ProductVisit>(e =>
        {
            e.ToTable("insights_product_visits");
            e.HasKey(v => new { v.Day, v.Channel, v.ProfileId });
            e.Property(v => v.Channel).HasMaxLength(50);
            // Merges move a profile's visits.
            e.HasIndex(v => v.ProfileId);
        });
        builder.Entity<KpiDay>(e =>
        {
            e.ToTable("insights_kpi_days");
            e.HasKey(d => new { d.Day, d.Channel });
            e.Property(d => d.Channel).HasMaxLength(50);
        });
        builder.Entity<CustomerNumber>(e =>
        {
            e.ToTable("insights_customer_numbers");
            e.HasKey(n => n.Number);
            e.Property(n => n.Number).ValueGeneratedOnAdd();
            e.HasIndex(n => n.ProfileId).IsUnique();
        });
        builder.Entity<CustomerDay>(e =>
        {
            e.ToTable("insights_customer_days");
            e.HasKey(d => new { d.Day, d.Channel });
            e.Property(d => d.Channel).HasMaxLength(50);
        });
        builder.Entity<CostDriver>(e =>
        {
            e.ToTable("insights_cost_drivers");
            e.Property(d => d.Kind).HasMaxLength(20);
            e.Property(d => d.Channel).HasMaxLength(40);
            // The deciles read a range of days; the customer 360 one customer's.
            e.HasIndex(d => d.At);
            e.HasIndex(d => new { d.ProfileId, d.At });
        });
        builder.Entity<CostRate>(e =>
        {
            e.ToTable("insights_cost_rates");
            e.HasKey(r => new { r.Item, r.Channel });
            e.Property(r => r.Item).HasMaxLength(40);
            e.Property(r => r.Channel).HasMaxLength(40);
            e.Property(r => r.Amount).HasPrecision(18, 6);
        });
        builder.Entity<TextSentiment>(e =>
        {
            e.ToTable("insights_text_sentiments");
            e.HasKey(t => t.InteractionId);
            e.Property(t => t.Source).HasMaxLength(20);
            e.Property(t => t.Channel).HasMaxLength(20);
            e.Property(t => t.Label).HasMaxLength(10);
            e.Property(t => t.Scorer).HasMaxLength(30);
            // The profile's rollup reads its last 90 days.
            e.HasIndex(t => new { t.ProfileId, t.OccurredAt });
        });
        builder.Entity<KpiReportRecipient>(e =>
        {
            e.ToTable("insights_report_recipients");
            e.HasKey(r => r.UserId);
            e.Property(r => r.UserId).HasMaxLength(450);
        });
        builder.Entity<KpiReportSend>(e =>
        {
            e.ToTable("insights_report_sends");
            e.HasKey(r => r.WeekStart);
        });
    }
}
