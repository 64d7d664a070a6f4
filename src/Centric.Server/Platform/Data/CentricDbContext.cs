using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Outbox;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

/// <summary>
/// The one DbContext. Each module adds its sets and mappings in its own partial file;
/// provider-specific subclasses exist only so each provider keeps its own migrations.
/// </summary>
public partial class CentricDbContext(DbContextOptions options) : IdentityDbContext<CentricUser>(options), IDataProtectionKeyContext
{
    /// <summary>The data-protection key ring lives in the database, so every node reads the same cookies and tokens.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<CentricUser>().ToTable("platform_users");
        builder.Entity<DataProtectionKey>().ToTable("platform_data_protection_keys");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityRole>().ToTable("platform_roles");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserRole<string>>().ToTable("platform_user_roles");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<string>>().ToTable("platform_user_claims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<string>>().ToTable("platform_user_logins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<string>>().ToTable("platform_user_tokens");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityRoleClaim<string>>().ToTable("platform_role_claims");
        ConfigurePlatform(builder);
        ConfigureCustomers(builder);
        ConfigureCommerce(builder);
        ConfigureSupport(builder);
        ConfigureInsights(builder);
        ConfigurePersonalisation(builder);
        ConfigureEngagement(builder);
    }

    static partial void ConfigurePlatform(ModelBuilder builder);
    static partial void ConfigureCustomers(ModelBuilder builder);
    static partial void ConfigureCommerce(ModelBuilder builder);
    static partial void ConfigureSupport(ModelBuilder builder);
    static partial void ConfigureInsights(ModelBuilder builder);
    static partial void ConfigurePersonalisation(ModelBuilder builder);
    static partial void ConfigureEngagement(ModelBuilder builder);

    /// <summary>True when the underlying provider is PostgreSQL (for the few provider-specific paths).</summary>
    public bool IsPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";
}

public sealed class SqliteCentricDbContext(DbContextOptions<SqliteCentricDbContext> options) : CentricDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        JsonText.MapForSqlite(builder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite stores DateTime as text without a kind; every timestamp here is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}

public sealed class PostgresCentricDbContext(DbContextOptions<PostgresCentricDbContext> options) : CentricDbContext(options)
{
    /// <summary>The writing transaction's id, as a bigint (an xid8 fits: epoch and xid in 64 bits).</summary>
    public const string CurrentTransactionId = "(pg_current_xact_id()::text::bigint)";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Stamped by the database, so every writer (EF, bulk SQL) records its transaction. See InteractionDispatcher.
        builder.Entity<OutboxMessage>().Property(m => m.TransactionId).HasDefaultValueSql(CurrentTransactionId);
        JsonText.MapForPostgres(builder);
    }
}

internal sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
