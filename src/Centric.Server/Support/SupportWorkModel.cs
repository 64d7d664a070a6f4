using Centric.Server.Support.Automation;
using Centric.Server.Support.Measures;
using Centric.Server.Support.Routing;
using Centric.Server.Support.Sla;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Data;

/// <summary>Routing, SLA and automation tables of the Support module.</summary>
public partial class CentricDbContext
{
    public DbSet<SupportQueue> SupportQueues => Set<SupportQueue>();
    public DbSet<RoutingRule> RoutingRules => Set<RoutingRule>();
    public DbSet<SupportAgent> SupportAgents => Set<SupportAgent>();
    public DbSet<SlaPolicy> SlaPolicies => Set<SlaPolicy>();
    public DbSet<BusinessCalendar> BusinessCalendars => Set<BusinessCalendar>();
    public DbSet<TicketWork> TicketWork => Set<TicketWork>();
    public DbSet<Macro> Macros => Set<Macro>();
    public DbSet<CsatSurvey> CsatSurveys => Set<CsatSurvey>();
    public DbSet<HelpSession> HelpSessions => Set<HelpSession>();

    private static void ConfigureSupportWork(ModelBuilder builder)
    {
        builder.Entity<SupportQueue>(e =>
        {
            e.ToTable("support_queues");
            e.Property(q => q.Key).HasMaxLength(40);
            e.Property(q => q.Name).HasMaxLength(100);
            e.Property(q => q.LastAssignedUserId).HasMaxLength(450);
            e.HasIndex(q => q.Key).IsUnique();
        });
        builder.Entity<RoutingRule>(e =>
        {
            e.ToTable("support_routing_rules");
            e.Property(r => r.Name).HasMaxLength(100);
            e.Property(r => r.Channel).HasMaxLength(20);
            e.Property(r => r.Language).HasMaxLength(10);
            e.Property(r => r.Keywords).HasMaxLength(500);
            e.Property(r => r.Tier).HasMaxLength(40);
            e.Property(r => r.Skill).HasMaxLength(40);
            e.HasOne<SupportQueue>().WithMany().HasForeignKey(r => r.QueueId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<SupportAgent>(e =>
        {
            e.ToTable("support_agents");
            e.HasKey(a => a.UserId);
            e.Property(a => a.UserId).HasMaxLength(450);
            e.Property(a => a.Name).HasMaxLength(200);
            e.Property(a => a.Queues).HasMaxLength(500);
            e.Property(a => a.Skills).HasMaxLength(500);
        });
        builder.Entity<SlaPolicy>(e =>
        {
            e.ToTable("support_sla_policies");
            e.Property(p => p.Name).HasMaxLength(100);
            e.Property(p => p.Tier).HasMaxLength(40);
            e.Property(p => p.SupervisorEmail).HasMaxLength(320);
            e.Ignore(p => p.Specificity);
        });
        builder.Entity<BusinessCalendar>(e =>
        {
            e.ToTable("support_business_calendar");
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.TimeZone).HasMaxLength(100);
            e.Property(c => c.Hours).HasMaxLength(500);
            e.Property(c => c.Holidays).HasMaxLength(4000);
        });
        builder.Entity<TicketWork>(e =>
        {
            e.ToTable("support_ticket_work");
            e.HasKey(w => w.TicketId);
            e.Property(w => w.Skill).HasMaxLength(40);
            e.Property(w => w.Tier).HasMaxLength(40);
            e.Property(w => w.RuleName).HasMaxLength(100);
            e.Property(w => w.Warned).HasMaxLength(100);
            e.Property(w => w.Breached).HasMaxLength(100);
            e.HasOne<Centric.Server.Support.Tickets.Ticket>().WithOne().HasForeignKey<TicketWork>(w => w.TicketId).OnDelete(DeleteBehavior.Cascade);
            // The SLA sweep reads what is due.
            e.HasIndex(w => w.NextCheckAt);
            e.HasIndex(w => w.ProfileId);
        });
        builder.Entity<Macro>(e =>
        {
            e.ToTable("support_macros");
            e.Property(m => m.Name).HasMaxLength(100);
            e.Property(m => m.Body).HasMaxLength(10_000);
            e.Property(m => m.AddTags).HasMaxLength(200);
            e.HasIndex(m => m.Name).IsUnique();
        });
        builder.Entity<CsatSurvey>(e =>
        {
            e.ToTable("support_csat_surveys");
            e.Property(s => s.TicketNumber).HasMaxLength(20);
            e.Property(s => s.AccessKey).HasMaxLength(32);
            e.Property(s => s.Comment).HasMaxLength(2000);
            // One survey, and so one answer, per ticket.
            e.HasIndex(s => s.TicketId).IsUnique();
            e.HasIndex(s => s.ProfileId);
            e.HasIndex(s => s.AnsweredAt);
            e.HasOne<Centric.Server.Support.Tickets.Ticket>().WithMany().HasForeignKey(s => s.TicketId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<HelpSession>(e =>
        {
            e.ToTable("support_help_sessions");
            e.Property(s => s.Id).ValueGeneratedNever();
            // The measures count the sessions starting in a period, deflected or not, from this index alone.
            e.HasIndex(s => new { s.StartedAt, s.TicketFollowed });
            // The subscriber reads a profile's latest sessions; merges and recomputes a profile's all.
            e.HasIndex(s => new { s.ProfileId, s.LastAt });
        });
    }
}
