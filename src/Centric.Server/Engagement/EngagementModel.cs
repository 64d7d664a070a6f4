using Centric.Server.Engagement.Segments;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<SegmentMember> SegmentMembers => Set<SegmentMember>();

    static partial void ConfigureEngagement(ModelBuilder builder)
    {
        builder.Entity<Segment>(e =>
        {
            e.ToTable("engagement_segments");
            e.Property(s => s.Name).HasMaxLength(120);
            e.Property(s => s.NameKey).HasMaxLength(120);
            e.Property(s => s.Description).HasMaxLength(1000);
            e.Property(s => s.Rule).HasMaxLength(20_000);
            e.Property(s => s.CreatedBy).HasMaxLength(320);
            e.HasIndex(s => s.NameKey).IsUnique();
        });
        builder.Entity<SegmentMember>(e =>
        {
            e.ToTable("engagement_segment_members");
            e.HasKey(m => new { m.SegmentId, m.ProfileId });
            // A profile's segments (its re-evaluation as interactions arrive, merges, erasure).
            e.HasIndex(m => m.ProfileId);
        });
    }
}
