using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Profiles;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    public DbSet<CustomerProfile> Profiles => Set<CustomerProfile>();
    public DbSet<ProfileIdentity> Identities => Set<ProfileIdentity>();
    public DbSet<ConsentState> Consents => Set<ConsentState>();
    public DbSet<ConsentChange> ConsentChanges => Set<ConsentChange>();

    /// <summary>
    /// Every save that adds rows to a profile pins them to a live profile first (<see cref="ProfileLocks"/>), inside a transaction
    /// that holds those profiles until it commits, so a concurrent merge cannot leave them behind on the merged-away profile.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (ChangeTracker.AutoDetectChangesEnabled) ChangeTracker.DetectChanges();
        var rows = ProfileLocks.RowsToPin(this);
        if (rows.Count == 0) return await SaveDetectedChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (Database.CurrentTransaction is not null)
        {
            await ProfileLocks.PinAsync(this, rows, cancellationToken);
            return await SaveDetectedChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        await using var tx = await Database.BeginTransactionAsync(cancellationToken);
        await ProfileLocks.PinAsync(this, rows, cancellationToken);
        var saved = await SaveDetectedChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>
    /// Saves as <see cref="SaveChangesAsync(bool, CancellationToken)"/> does (rows pinned to live profiles first, in the caller's
    /// transaction or one of its own), but the rows this unit of work adds go by bulk insert (<see cref="BulkInsert.WriteAddedAsync"/>)
    /// and are no longer tracked afterwards: for work that adds hundreds of rows at once, where EF's per-row inserts dominated.
    /// Changes to rows that were read are saved as usual, with their concurrency checks.
    /// </summary>
    public async Task<int> SaveAddingInBulkAsync(CancellationToken ct)
    {
        if (ChangeTracker.AutoDetectChangesEnabled) ChangeTracker.DetectChanges();
        if (Database.CurrentTransaction is not null) return await SaveDetectedInBulkAsync(ct);
        await using var tx = await Database.BeginTransactionAsync(ct);
        var saved = await SaveDetectedInBulkAsync(ct);
        await tx.CommitAsync(ct);
        return saved;
    }

    private async Task<int> SaveDetectedInBulkAsync(CancellationToken ct)
    {
        await ProfileLocks.PinAsync(this, ProfileLocks.RowsToPin(this), ct);
        var written = await BulkInsert.WriteAddedAsync(this, ct);
        return written + await SaveDetectedChangesAsync(true, ct);
    }

    /// <summary>Saves without looking for changes again: they were just detected, and pinning reports its own.</summary>
    private async Task<int> SaveDetectedChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken ct)
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    static partial void ConfigureCustomers(ModelBuilder builder)
    {
        builder.Entity<CustomerProfile>(e =>
        {
            e.ToTable("customers_profiles");
            e.Property(p => p.FirstName).HasMaxLength(100);
            e.Property(p => p.LastName).HasMaxLength(100);
            e.Property(p => p.Email).HasMaxLength(320);
            e.Property(p => p.Phone).HasMaxLength(20);
            e.Property(p => p.SearchText).HasMaxLength(600);
            e.Ignore(p => p.DisplayName);
            e.HasIndex(p => p.Email);
            e.HasIndex(p => p.Phone);
            e.HasIndex(p => p.LastSeenAt);
        });
        builder.Entity<ProfileIdentity>(e =>
        {
            e.ToTable("customers_identities");
            e.Property(i => i.Kind).HasMaxLength(20);
            e.Property(i => i.Value).HasMaxLength(320);
            e.Property(i => i.Key).HasMaxLength(340);
            e.HasIndex(i => i.Key).IsUnique();
            e.HasIndex(i => i.ProfileId);
        });
        builder.Entity<ConsentState>(e =>
        {
            e.ToTable("customers_consents");
            e.HasKey(c => new { c.ProfileId, c.Channel, c.Purpose });
            e.Property(c => c.Channel).HasMaxLength(20);
            e.Property(c => c.Purpose).HasMaxLength(20);
            e.Property(c => c.Source).HasMaxLength(50);
        });
        builder.Entity<ConsentChange>(e =>
        {
            e.ToTable("customers_consent_changes");
            e.Property(c => c.Channel).HasMaxLength(20);
            e.Property(c => c.Purpose).HasMaxLength(20);
            e.Property(c => c.Source).HasMaxLength(50);
            e.Property(c => c.ChangedBy).HasMaxLength(200);
            e.HasIndex(c => new { c.ProfileId, c.At });
        });
        builder.Entity<Customers.Notifications.Notification>(e =>
        {
            e.ToTable("customers_notifications");
            e.Property(n => n.Topic).HasMaxLength(50);
            e.Property(n => n.Title).HasMaxLength(200);
            e.Property(n => n.Body).HasMaxLength(1000);
            e.Property(n => n.Link).HasMaxLength(300);
            // The centre lists newest first per profile; the bell counts the unread ones.
            e.HasIndex(n => new { n.ProfileId, n.CreatedAt });
            e.HasIndex(n => new { n.ProfileId, n.ReadAt });
        });
    }
}
