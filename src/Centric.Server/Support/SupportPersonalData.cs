using System.Text.Json;
using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Support.Automation;
using Centric.Server.Support.Measures;
using Centric.Server.Support.Messaging;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support;

/// <summary>
/// Tickets, their messages and chats: exported and erased with the person, and moved to the survivor when profiles merge.
/// Ticket counts, channels, statuses and timings stay after erasure for the support measures, and so do help sessions (a
/// profile id and times, no text).
/// </summary>
internal sealed class SupportPersonalData(IOptions<SupportAutomationOptions> options) : IPersonalData
{
    public const string Erased = "(erased)";

    public string Section => "support";

    /// <summary>The person's tickets with what they wrote and what they were told (internal notes between agents are not part of it).</summary>
    public async Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.ProfileId == profileId).OrderBy(t => t.CreatedAt)
            .Select(t => new { t.Id, t.Number, t.Subject, t.Channel, Status = t.Status.ToString(), t.OrderNumber, t.CreatedAt, t.FirstResponseAt, t.SolvedAt })
            .ToListAsync(ct);
        var ids = tickets.Select(t => t.Id).ToList();
        var messages = await db.TicketMessages.AsNoTracking().Where(m => ids.Contains(m.TicketId) && m.Direction != MessageDirection.Note)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Sequence)
            .Select(m => new { m.TicketId, Direction = m.Direction.ToString(), m.Channel, m.Kind, m.AuthorName, m.BodyText, m.Attachments, m.CallSeconds,
                m.CallOutcome, m.CallRecordingUrl, m.CreatedAt })
            .ToListAsync(ct);
        var files = await db.ChatAttachments.AsNoTracking().Where(a => ids.Contains(a.TicketId))
            .Select(a => new { a.TicketId, a.MessageId, a.FileName, a.ContentType, a.Size, a.CreatedAt }).ToListAsync(ct);
        return JsonSerializer.SerializeToNode(tickets.Select(t => new
        {
            t.Number, t.Subject, t.Channel, t.Status, t.OrderNumber, t.CreatedAt, t.FirstResponseAt, t.SolvedAt,
            Messages = messages.Where(m => m.TicketId == t.Id).Select(m => new { m.Direction, m.Channel, m.Kind, m.AuthorName, Text = m.BodyText,
                m.Attachments, m.CallSeconds, m.CallOutcome, m.CallRecordingUrl, m.CreatedAt }),
            Files = files.Where(f => f.TicketId == t.Id).Select(f => new { f.FileName, f.ContentType, f.Size, f.CreatedAt }),
        }), JsonSerializerOptions.Web);
    }

    public async Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var rows = await db.Tickets.Where(t => t.ProfileId == profileId).ExecuteUpdateAsync(u => u.SetProperty(t => t.Subject, Erased), ct);
        // Every message on the person's tickets, whoever wrote it, is about them: the text goes, the message stays for the measures.
        // Message-IDs and recording links can name the person or their mailbox.
        rows += await db.TicketMessages.Where(m => m.ProfileId == profileId).ExecuteUpdateAsync(u => u
            .SetProperty(m => m.BodyText, Erased).SetProperty(m => m.BodyHtml, (string?)null).SetProperty(m => m.Attachments, (string?)null)
            .SetProperty(m => m.ExternalMessageId, (string?)null).SetProperty(m => m.CallRecordingUrl, (string?)null), ct);
        await db.TicketMessages.Where(m => m.ProfileId == profileId && m.Direction == MessageDirection.Inbound)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.AuthorName, "Former customer"), ct);
        // Chat files are the customer's content: removed outright; the visitor id would re-identify the device.
        rows += await db.ChatAttachments.Where(a => a.ProfileId == profileId).ExecuteDeleteAsync(ct);
        await db.ChatConversations.Where(c => c.ProfileId == profileId).ExecuteUpdateAsync(u => u.SetProperty(c => c.VisitorId, (string?)null), ct);
        // Replies still queued for SMS or social never go out, and sent ones keep no number or text.
        rows += await db.OutboundMessages.Where(o => o.ProfileId == profileId && o.Status == OutboundStatus.Pending).ExecuteUpdateAsync(u => u
            .SetProperty(o => o.Status, OutboundStatus.Failed).SetProperty(o => o.LastError, "customer erased"), ct);
        await db.OutboundMessages.Where(o => o.ProfileId == profileId).ExecuteUpdateAsync(u => u.SetProperty(o => o.To, Erased).SetProperty(o => o.Text, Erased), ct);
        return rows;
    }

    public async Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        await db.Tickets.Where(t => t.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(t => t.ProfileId, toProfileId), ct);
        await db.TicketMessages.Where(m => m.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(m => m.ProfileId, toProfileId), ct);
        await db.TicketWork.Where(w => w.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(w => w.ProfileId, toProfileId), ct);
        await db.CsatSurveys.Where(s => s.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(s => s.ProfileId, toProfileId), ct);
        await db.ChatConversations.Where(c => c.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(c => c.ProfileId, toProfileId), ct);
        await db.ChatAttachments.Where(a => a.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(a => a.ProfileId, toProfileId), ct);
        await db.OutboundMessages.Where(o => o.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(o => o.ProfileId, toProfileId), ct);
        // The two profiles' help events interleave: their sessions are joined and judged again against both profiles' tickets.
        await HelpSessions.MoveAsync(db, fromProfileId, toProfileId, options.Value.DeflectionWindowHours, ct);
    }
}
