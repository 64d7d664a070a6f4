using Centric.Server.Engagement.Messages;
using Centric.Server.Engagement.Segments;
using Centric.Server.Engagement.Sms;
using Centric.Server.Engagement.Templates;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<SegmentMember> SegmentMembers => Set<SegmentMember>();
    public DbSet<EngagementMessage> EngagementMessages => Set<EngagementMessage>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();
    public DbSet<SandboxSms> SandboxSms => Set<SandboxSms>();

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
        builder.Entity<EngagementMessage>(e =>
        {
            e.ToTable("engagement_messages");
            e.Property(m => m.Channel).HasMaxLength(20);
            e.Property(m => m.Purpose).HasMaxLength(20);
            e.Property(m => m.SendKey).HasMaxLength(200);
            e.Property(m => m.Source).HasMaxLength(120);
            e.Property(m => m.To).HasMaxLength(320);
            e.Property(m => m.Subject).HasMaxLength(300);
            e.Property(m => m.Body).HasMaxLength(20_000);
            e.Property(m => m.Status).HasMaxLength(20);
            e.Property(m => m.FailureReason).HasMaxLength(500);
            e.Property(m => m.ProviderMessageId).HasMaxLength(200);
            e.HasIndex(m => m.SendKey).IsUnique();
            e.HasIndex(m => new { m.ProfileId, m.CreatedAt });
            // The SMS sender's queue: due messages in order; a provider's receipt finds its message.
            e.HasIndex(m => new { m.Status, m.NextAttemptAt });
            e.HasIndex(m => m.ProviderMessageId);
        });
        builder.Entity<MessageTemplate>(e =>
        {
            e.ToTable("engagement_message_templates");
            e.Property(t => t.Name).HasMaxLength(120);
            e.Property(t => t.NameKey).HasMaxLength(120);
            e.Property(t => t.Channel).HasMaxLength(20);
            e.Property(t => t.Purpose).HasMaxLength(20);
            e.Property(t => t.Subject).HasMaxLength(300);
            e.Property(t => t.Body).HasMaxLength(20_000);
            e.Property(t => t.UpdatedBy).HasMaxLength(320);
            e.HasIndex(t => t.NameKey).IsUnique();
        });
        builder.Entity<SandboxSms>(e =>
        {
            e.ToTable("engagement_sandbox_sms");
            e.Property(m => m.To).HasMaxLength(40);
            e.Property(m => m.Text).HasMaxLength(2_000);
            e.Property(m => m.Reference).HasMaxLength(200);
            e.HasIndex(m => m.SentAt);
        });
    }
}
