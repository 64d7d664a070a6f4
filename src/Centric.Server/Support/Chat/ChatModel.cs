using Centric.Server.Support.Chat;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    public DbSet<ChatConversation> ChatConversations => Set<ChatConversation>();
    public DbSet<ChatAttachment> ChatAttachments => Set<ChatAttachment>();
    public DbSet<ChatEmailClaim> ChatEmailClaims => Set<ChatEmailClaim>();

    private static void ConfigureChat(ModelBuilder builder)
    {
        builder.Entity<ChatConversation>(e =>
        {
            e.ToTable("support_chat_conversations");
            e.HasKey(c => c.TicketId);
            e.Property(c => c.VisitorId).HasMaxLength(64);
            e.HasIndex(c => new { c.VisitorId, c.UpdatedAt });
            e.HasIndex(c => new { c.ProfileId, c.UpdatedAt });
            e.HasOne<Ticket>().WithOne().HasForeignKey<ChatConversation>(c => c.TicketId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ChatAttachment>(e =>
        {
            e.ToTable("support_chat_attachments");
            e.Property(a => a.FileName).HasMaxLength(200);
            e.Property(a => a.ContentType).HasMaxLength(100);
            e.HasIndex(a => a.MessageId);
            e.HasIndex(a => a.ProfileId);
            e.HasOne<Ticket>().WithMany().HasForeignKey(a => a.TicketId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<ChatEmailClaim>(e =>
        {
            e.ToTable("support_chat_email_claims");
            e.HasKey(c => c.VisitorId);
            e.Property(c => c.VisitorId).HasMaxLength(64);
            e.Property(c => c.Email).HasMaxLength(320);
            e.Property(c => c.CodeHash).HasMaxLength(64);
        });
    }
}
