using Centric.Server.Support.Knowledge;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<TicketMessage> TicketMessages => Set<TicketMessage>();
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<ArticleVersion> ArticleVersions => Set<ArticleVersion>();
    public DbSet<ArticleFeedback> ArticleFeedback => Set<ArticleFeedback>();
    public DbSet<ArticleSlugRedirect> ArticleSlugRedirects => Set<ArticleSlugRedirect>();

    static partial void ConfigureSupport(ModelBuilder builder)
    {
        ConfigureChat(builder);
        builder.Entity<Ticket>(e =>
        {
            e.ToTable("support_tickets");
            e.Property(t => t.Number).HasMaxLength(20);
            e.Property(t => t.Channel).HasMaxLength(20);
            e.Property(t => t.Tags).HasMaxLength(500);
            e.Property(t => t.Subject).HasMaxLength(300);
            e.Property(t => t.AssigneeUserId).HasMaxLength(450);
            e.Property(t => t.OrderNumber).HasMaxLength(20);
            e.HasIndex(t => t.Number).IsUnique();
            e.HasIndex(t => new { t.ProfileId, t.UpdatedAt });
            // The inbox reads open tickets by status, assignee and age.
            e.HasIndex(t => new { t.Status, t.AssigneeUserId, t.UpdatedAt });
            e.Ignore(t => t.IsOpen);
        });
        builder.Entity<TicketMessage>(e =>
        {
            e.ToTable("support_ticket_messages");
            e.Property(m => m.Channel).HasMaxLength(20);
            e.Property(m => m.AuthorUserId).HasMaxLength(450);
            e.Property(m => m.AuthorName).HasMaxLength(200);
            e.Property(m => m.ExternalMessageId).HasMaxLength(300);
            e.Property(m => m.CallOutcome).HasMaxLength(100);
            e.HasIndex(m => new { m.TicketId, m.CreatedAt });
            e.HasIndex(m => m.ProfileId);
            // A redelivered inbound email is recognised by its Message-ID and never stored twice.
            e.HasIndex(m => m.ExternalMessageId).IsUnique();
            e.Property(m => m.CallRecordingUrl).HasMaxLength(1000);
            e.Property(m => m.Kind).HasMaxLength(30);
            e.Property(m => m.ClientMessageId).HasMaxLength(64);
            // Live clients resume "after sequence n"; messages from before sequences existed keep 0.
            e.HasIndex(m => new { m.TicketId, m.Sequence }).IsUnique().HasFilter("\"Sequence\" > 0");
            // A live client's resend of the same message id is recognised, never stored twice.
            e.HasIndex(m => new { m.TicketId, m.ClientMessageId }).IsUnique();
            e.HasOne<Ticket>().WithMany().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Article>(e =>
        {
            e.ToTable("support_articles");
            e.Property(a => a.Slug).HasMaxLength(KnowledgeBase.MaxSlugLength);
            e.Property(a => a.Title).HasMaxLength(200);
            e.Property(a => a.Category).HasMaxLength(100);
            e.HasIndex(a => a.Slug).IsUnique();
            e.HasIndex(a => new { a.Published, a.Category });
            e.Ignore(a => a.HasDraft);
        });
        ConfigureKnowledge(builder);
        ConfigureMessaging(builder);
        ConfigureSupportWork(builder);
    }
}
