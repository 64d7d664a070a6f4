using Centric.Server.Engagement.Messages;
using Centric.Server.Engagement.Segments;
using Centric.Server.Engagement.Surveys;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<SegmentMember> SegmentMembers => Set<SegmentMember>();
    public DbSet<EngagementMessage> EngagementMessages => Set<EngagementMessage>();
    public DbSet<Survey> Surveys => Set<Survey>();
    public DbSet<SurveyInvitation> SurveyInvitations => Set<SurveyInvitation>();

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
            e.HasIndex(m => m.SendKey).IsUnique();
            e.HasIndex(m => new { m.ProfileId, m.CreatedAt });
        });
        builder.Entity<Survey>(e =>
        {
            e.ToTable("engagement_surveys");
            e.Property(s => s.Kind).HasMaxLength(10);
            e.Property(s => s.Name).HasMaxLength(120);
            e.Property(s => s.Question).HasMaxLength(500);
            e.Property(s => s.CommentPrompt).HasMaxLength(300);
            e.Property(s => s.CreatedBy).HasMaxLength(320);
            e.Ignore(s => s.Scale);
        });
        builder.Entity<SurveyInvitation>(e =>
        {
            e.ToTable("engagement_survey_invitations");
            e.Property(i => i.KeyHash).HasMaxLength(64);
            e.Property(i => i.SendKey).HasMaxLength(160);
            e.Property(i => i.OrderNumber).HasMaxLength(40);
            e.Property(i => i.TicketNumber).HasMaxLength(40);
            e.Property(i => i.Product).HasMaxLength(200);
            e.Property(i => i.Channel).HasMaxLength(40);
            e.Property(i => i.Agent).HasMaxLength(120);
            e.Property(i => i.Comment).HasMaxLength(2000);
            e.HasIndex(i => i.KeyHash).IsUnique();
            e.HasIndex(i => i.SendKey).IsUnique();
            // Results and KPIs read a survey's answers by when they were given; a person's surveys (their account, merges, erasure).
            e.HasIndex(i => new { i.SurveyId, i.AnsweredAt });
            e.HasIndex(i => new { i.SurveyId, i.SentAt });
            e.HasIndex(i => i.ProfileId);
            e.HasIndex(i => i.AnswerInteractionId);
            e.HasOne<Survey>().WithMany().HasForeignKey(i => i.SurveyId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
