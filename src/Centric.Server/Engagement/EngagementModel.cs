using Centric.Server.Engagement.Campaigns;
using Centric.Server.Engagement.Journeys;
using Centric.Server.Engagement.Messages;
using Centric.Server.Engagement.Push;
using Centric.Server.Engagement.Segments;
using Centric.Server.Engagement.Sms;
using Centric.Server.Engagement.Templates;
using Centric.Server.Engagement.Surveys;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<SegmentMember> SegmentMembers => Set<SegmentMember>();
    public DbSet<EngagementMessage> EngagementMessages => Set<EngagementMessage>();
    public DbSet<Journey> Journeys => Set<Journey>();
    public DbSet<JourneyVersion> JourneyVersions => Set<JourneyVersion>();
    public DbSet<JourneyRun> JourneyRuns => Set<JourneyRun>();
    public DbSet<JourneyStepLog> JourneyStepLogs => Set<JourneyStepLog>();
    public DbSet<StaffTask> StaffTasks => Set<StaffTask>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CampaignRecipient> CampaignRecipients => Set<CampaignRecipient>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();
    public DbSet<SandboxSms> SandboxSms => Set<SandboxSms>();
    public DbSet<Survey> Surveys => Set<Survey>();
    public DbSet<SurveyInvitation> SurveyInvitations => Set<SurveyInvitation>();
    public DbSet<PushSubscription> PushSubscriptions => Set<PushSubscription>();
    public DbSet<PushDelivery> PushDeliveries => Set<PushDelivery>();
    public DbSet<PushKeyPair> PushKeyPairs => Set<PushKeyPair>();

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
            e.Property(m => m.Link).HasMaxLength(2_000);
            e.Property(m => m.Status).HasMaxLength(20);
            e.Property(m => m.FailureReason).HasMaxLength(500);
            e.Property(m => m.ProviderMessageId).HasMaxLength(200);
            e.HasIndex(m => m.SendKey).IsUnique();
            e.HasIndex(m => new { m.ProfileId, m.CreatedAt });
            // The SMS sender's queue: due messages in order; a provider's receipt finds its message.
            e.HasIndex(m => new { m.Status, m.NextAttemptAt });
            e.HasIndex(m => m.ProviderMessageId);
        });
        builder.Entity<PushSubscription>(e =>
        {
            e.ToTable("engagement_push_subscriptions");
            e.Property(s => s.Endpoint).HasMaxLength(Engagement.Push.PushSubscriptions.MaxEndpoint);
            e.Property(s => s.P256dh).HasMaxLength(100);
            e.Property(s => s.Auth).HasMaxLength(50);
            e.Property(s => s.UserAgent).HasMaxLength(Engagement.Push.PushSubscriptions.MaxUserAgent);
            e.HasIndex(s => s.Endpoint).IsUnique();
            e.HasIndex(s => s.ProfileId);
        });
        builder.Entity<PushDelivery>(e =>
        {
            e.ToTable("engagement_push_deliveries");
            e.Property(d => d.Status).HasMaxLength(20);
            e.Property(d => d.LastError).HasMaxLength(300);
            // The push sender's queue: due deliveries in order; a message's deliveries; a device's (removed, expired).
            e.HasIndex(d => new { d.Status, d.NextAttemptAt });
            e.HasIndex(d => d.MessageId);
            e.HasIndex(d => d.SubscriptionId);
            e.HasIndex(d => d.ClaimToken);
        });
        builder.Entity<PushKeyPair>(e =>
        {
            e.ToTable("engagement_push_keys");
            e.Property(k => k.Id).ValueGeneratedNever();
            e.Property(k => k.PublicKey).HasMaxLength(100);
            e.Property(k => k.PrivateKey).HasMaxLength(100);
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
        builder.Entity<Journey>(e =>
        {
            e.ToTable("engagement_journeys");
            e.Property(j => j.Name).HasMaxLength(120);
            e.Property(j => j.NameKey).HasMaxLength(120);
            e.Property(j => j.Description).HasMaxLength(1000);
            e.Property(j => j.ShippedKey).HasMaxLength(40);
            e.Property(j => j.Status).HasMaxLength(20);
            e.Property(j => j.Draft).HasMaxLength(100_000);
            e.Property(j => j.UpdatedBy).HasMaxLength(320);
            e.HasIndex(j => j.NameKey).IsUnique();
            e.HasIndex(j => j.ShippedKey).IsUnique();
        });
        builder.Entity<JourneyVersion>(e =>
        {
            e.ToTable("engagement_journey_versions");
            e.HasKey(v => new { v.JourneyId, v.Version });
            e.Property(v => v.Definition).HasMaxLength(100_000);
            e.Property(v => v.PublishedBy).HasMaxLength(320);
        });
        builder.Entity<JourneyRun>(e =>
        {
            e.ToTable("engagement_journey_runs");
            e.Property(r => r.EntryKey).HasMaxLength(200);
            e.Property(r => r.Status).HasMaxLength(20);
            e.Property(r => r.StepId).HasMaxLength(40);
            e.Property(r => r.Arm).HasMaxLength(40);
            e.Property(r => r.Revision).IsConcurrencyToken();
            e.HasIndex(r => new { r.JourneyId, r.EntryKey }).IsUnique();
            // The runner's due walks, and a customer's open walks (goals, waits, re-entry).
            e.HasIndex(r => new { r.Status, r.DueAt });
            e.HasIndex(r => new { r.ProfileId, r.JourneyId });
        });
        builder.Entity<JourneyStepLog>(e =>
        {
            e.ToTable("engagement_journey_step_log");
            e.Property(l => l.StepId).HasMaxLength(40);
            e.Property(l => l.Outcome).HasMaxLength(20);
            e.HasIndex(l => new { l.JourneyId, l.StepId });
            e.HasIndex(l => l.RunId);
        });
        builder.Entity<StaffTask>(e =>
        {
            e.ToTable("engagement_tasks");
            e.Property(t => t.Title).HasMaxLength(200);
            e.Property(t => t.Role).HasMaxLength(20);
            e.Property(t => t.Source).HasMaxLength(120);
            e.Property(t => t.DoneBy).HasMaxLength(320);
            e.HasIndex(t => new { t.Role, t.DoneAt });
        });
        builder.Entity<Campaign>(e =>
        {
            e.ToTable("engagement_campaigns");
            e.Property(c => c.Name).HasMaxLength(120);
            e.Property(c => c.Channel).HasMaxLength(20);
            e.Property(c => c.Purpose).HasMaxLength(20);
            e.Property(c => c.Subject).HasMaxLength(300);
            e.Property(c => c.SubjectB).HasMaxLength(300);
            e.Property(c => c.Body).HasMaxLength(20_000);
            e.Property(c => c.Link).HasMaxLength(300);
            e.Property(c => c.Winner).HasMaxLength(1);
            // A cancel and a slice being sent cannot both win: the slice's save fails when the status moved.
            e.Property(c => c.Status).HasMaxLength(20).IsConcurrencyToken();
            e.Property(c => c.CreatedBy).HasMaxLength(320);
            e.HasIndex(c => new { c.Status, c.ScheduledAt });
        });
        builder.Entity<CampaignRecipient>(e =>
        {
            e.ToTable("engagement_campaign_recipients");
            e.HasKey(r => new { r.CampaignId, r.ProfileId });
            e.Property(r => r.Variant).HasMaxLength(4);
            e.Property(r => r.Status).HasMaxLength(20);
            e.HasIndex(r => new { r.CampaignId, r.Status });
            e.HasIndex(r => r.ProfileId);
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
