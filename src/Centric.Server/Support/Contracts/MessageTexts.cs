using Centric.Server.Platform.Data;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Contracts;

/// <summary>What a customer wrote in one message (ticket, chat, email, SMS, social), as Insights scores its sentiment.</summary>
public sealed record InboundText(Guid MessageId, Guid ProfileId, string Channel, string Text);

/// <summary>What Support tells other modules about the text of customers' messages. Reads through the DbContext it is given.</summary>
public sealed class MessageTexts(CentricDbContext db)
{
    /// <summary>The customer-written (inbound) messages among these ids; agents' replies and notes are not returned.</summary>
    public async Task<IReadOnlyList<InboundText>> InboundAsync(IReadOnlyCollection<Guid> messageIds, CancellationToken ct) =>
        messageIds.Count == 0 ? [] :
        await db.TicketMessages.AsNoTracking().Where(m => messageIds.Contains(m.Id) && m.Direction == MessageDirection.Inbound)
            .Select(m => new InboundText(m.Id, m.ProfileId, m.Channel, m.BodyText)).ToListAsync(ct);
}
