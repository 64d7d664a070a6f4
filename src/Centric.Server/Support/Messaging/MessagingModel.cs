using Centric.Server.Support.Messaging;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

public partial class CentricDbContext
{
    public DbSet<OutboundMessage> OutboundMessages => Set<OutboundMessage>();

    static void ConfigureMessaging(ModelBuilder builder) => builder.Entity<OutboundMessage>(e =>
    {
        e.ToTable("support_outbound_messages");
        e.Property(m => m.TicketNumber).HasMaxLength(20);
        e.Property(m => m.Channel).HasMaxLength(20);
        e.Property(m => m.To).HasMaxLength(200);
        e.Property(m => m.LastError).HasMaxLength(500);
        e.HasIndex(m => m.TicketMessageId).IsUnique();
        // The sender reads due, pending messages.
        e.HasIndex(m => new { m.Status, m.NextAttemptAt });
        e.HasIndex(m => m.ClaimToken);
        e.HasIndex(m => m.ProfileId);
    });
}
