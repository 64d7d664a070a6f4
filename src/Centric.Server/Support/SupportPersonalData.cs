using System.Text.Json;
using System.Text.Json.Nodes;
using Centric.Server.Customers.Privacy;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support;

/// <summary>Tickets and their messages, for export and erasure. Ticket counts and timings stay for the support measures.</summary>
internal sealed class SupportPersonalData : IPersonalData
{
    public string Section => "support";

    public async Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.ProfileId == profileId).OrderBy(t => t.CreatedAt)
            .Select(t => new { t.Id, t.Number, t.Subject, t.Channel, Status = t.Status.ToString(), t.CreatedAt, t.SolvedAt }).ToListAsync(ct);
        var ids = tickets.Select(t => t.Id).ToList();
        var messages = await db.TicketMessages.AsNoTracking().Where(m => ids.Contains(m.TicketId) && m.Direction != Tickets.MessageDirection.Note)
            .OrderBy(m => m.CreatedAt).Select(m => new { m.TicketId, Direction = m.Direction.ToString(), m.Channel, m.AuthorName, m.BodyText, m.CreatedAt }).ToListAsync(ct);
        return JsonSerializer.SerializeToNode(tickets.Select(t => new { t.Number, t.Subject, t.Channel, t.Status, t.CreatedAt, t.SolvedAt,
            Messages = messages.Where(m => m.TicketId == t.Id) }), JsonSerializerOptions.Web);
    }

    public async Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var rows = await db.Tickets.Where(t => t.ProfileId == profileId).ExecuteUpdateAsync(u => u.SetProperty(t => t.Subject, "(erased)"), ct);
        rows += await db.TicketMessages.Where(m => m.ProfileId == profileId).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.BodyText, "(erased)").SetProperty(m => m.BodyHtml, (string?)null).SetProperty(m => m.Attachments, (string?)null), ct);
        // Chat files are the customer's content: removed outright; the visitor id would re-identify the device.
        rows += await db.ChatAttachments.Where(a => a.ProfileId == profileId).ExecuteDeleteAsync(ct);
        await db.ChatConversations.Where(c => c.ProfileId == profileId).ExecuteUpdateAsync(u => u.SetProperty(c => c.VisitorId, (string?)null), ct);
        await db.TicketMessages.Where(m => m.ProfileId == profileId && m.Direction == Tickets.MessageDirection.Inbound)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.AuthorName, "Former customer"), ct);
        return rows;
    }
}
