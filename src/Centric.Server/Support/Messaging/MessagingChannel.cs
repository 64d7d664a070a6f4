using System.Text.Json;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Support.Email;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Messaging;

public sealed record ChannelReplyResult(TicketMessage Message, bool Queued, string? NotSentBecause);

/// <summary>
/// SMS, WhatsApp and social messages in and out of tickets. The sender is resolved to a profile by phone number (SMS, WhatsApp)
/// or by their handle on the network (an identity of that network's kind); a message threads into the sender's open ticket on
/// the same channel, or opens one. Replies are queued for <see cref="OutboundMessageSender"/> in the reply's own SaveChanges.
/// </summary>
public sealed class MessagingChannel(CentricDbContext db, TicketService tickets, ICustomerDirectory customers, IConsent consent,
    IOptions<MessagingOptions> options, TimeProvider clock)
{
    public async Task<InboundResult> ReceiveAsync(InboundChannelMessage message, CancellationToken ct)
    {
        var channel = message.Channel?.Trim().ToLowerInvariant() ?? "";
        if (!SupportChannels.Messaging.Contains(channel))
            throw RequestValidationException.For("channel", $"One of {string.Join(", ", SupportChannels.Messaging)}.");
        var (kind, address) = Sender(channel, message.From);
        if (message.MessageId?.Trim() is not { Length: > 0 and <= 200 } providerId)
            throw RequestValidationException.For("messageId", "Required, at most 200 characters.");
        var attachments = message.Attachments is { Count: > 0 } list
            ? JsonSerializer.Serialize(list.Take(20).Select(a => new { fileName = a.FileName, contentType = a.ContentType, size = a.Size, url = a.Url }), JsonSerializerOptions.Web)
            : null;
        var text = !string.IsNullOrWhiteSpace(message.Text) ? message.Text
            : attachments is not null ? $"({message.Attachments!.Count} attachment{(message.Attachments.Count == 1 ? "" : "s")})"
            : throw RequestValidationException.For("text", "A message needs text or attachments.");
        // Provider ids are unique per channel, not across channels; the prefix keeps them apart from email Message-IDs.
        var externalId = $"{channel}:{providerId}";
        // The name the network shows for the sender; a social sender without one is known by their handle.
        var name = message.FromName?.Trim() is { Length: > 0 } given && !given.Any(char.IsControl) ? given[..Math.Min(given.Length, 200)]
            : kind == IdentityKinds.Phone ? null : "@" + address;

        // Two deliveries of a new sender's first message race on the identity or message id; the loser runs again on fresh state.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReceiveOnceAsync(channel, kind, address, name, text, externalId, attachments, ct);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<InboundResult> ReceiveOnceAsync(string channel, string kind, string address, string? name, string text, string externalId,
        string? attachments, CancellationToken ct)
    {
        if (await db.TicketMessages.Where(m => m.ExternalMessageId == externalId)
                .Join(db.Tickets, m => m.TicketId, t => t.Id, (m, t) => t.Number).FirstOrDefaultAsync(ct) is { } seen)
            return new InboundResult(seen, false, true);
        var profileId = await customers.FindOrCreateByIdentityAsync(kind, address, name, ct);
        var newMessage = new NewMessage(MessageDirection.Inbound, channel, address, text, ExternalMessageId: externalId, Attachments: attachments);
        var open = await db.Tickets.Where(t => t.ProfileId == profileId && t.Channel == channel
                && t.Status != TicketStatus.Solved && t.Status != TicketStatus.Closed)
            .OrderByDescending(t => t.UpdatedAt).FirstOrDefaultAsync(ct);
        // "STOP" by SMS withdraws marketing by SMS, committed with the message. It joins an open conversation so the agent sees
        // it, but opens no request of its own: nobody needs to answer it.
        var stop = channel == SupportChannels.Sms && IsStop(text);
        if (stop) await consent.WithdrawAsync(profileId, SupportChannels.Sms, ConsentPurposes.Marketing, "sms STOP", ct);
        if (open is not null)
        {
            await tickets.AddMessageAsync(open, newMessage, ct);
            return new InboundResult(open.Number, false, false);
        }
        if (stop)
        {
            await db.SaveChangesAsync(ct);
            return new InboundResult("", false, false);
        }
        var firstLine = text.Split('\n', 2)[0].Trim();
        var subject = $"{ChannelName(channel)}: {(firstLine.Length > 80 ? firstLine[..80] + "…" : firstLine)}";
        var ticket = await tickets.OpenAsync(profileId, subject, newMessage, null, ct);
        return new InboundResult(ticket.Number, true, false);
    }

    /// <summary>
    /// An agent's answer on a messaging ticket: always on the thread; queued for the provider when an endpoint is configured,
    /// the customer has an address on that channel, and (for SMS) service messages by SMS are allowed.
    /// </summary>
    public async Task<ChannelReplyResult> ReplyAsync(Ticket ticket, string agentUserId, string agentName, string text, TicketStatus? then, CancellationToken ct)
    {
        if (!SupportChannels.Messaging.Contains(ticket.Channel))
            throw new DomainException("ticket-not-messaging", $"Ticket {ticket.Number} is not an SMS, WhatsApp or social conversation.", StatusCodes.Status422UnprocessableEntity);
        var kind = ticket.Channel is SupportChannels.Sms or SupportChannels.WhatsApp ? IdentityKinds.Phone : ticket.Channel;
        var to = await customers.IdentityValueAsync(ticket.ProfileId, kind, ct);
        string? notSent = options.Value.OutboundUrl is null ? "no messaging provider is configured"
            : to is null ? $"the customer has no {kind} identity"
            : ticket.Channel == SupportChannels.Sms && !await consent.MayContactAsync(ticket.ProfileId, "sms", ConsentPurposes.Service, ct)
                ? "the customer refused service messages by SMS" : null;
        var messageId = Guid.CreateVersion7();
        if (notSent is null)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            // Added before the reply is saved, so both commit in one SaveChanges: a reply is never lost or sent without its thread entry.
            db.OutboundMessages.Add(new OutboundMessage
            {
                TicketMessageId = messageId, ProfileId = ticket.ProfileId, TicketNumber = ticket.Number, Channel = ticket.Channel, To = to!,
                Text = text.Trim(), Status = OutboundStatus.Pending, NextAttemptAt = now, CreatedAt = now,
            });
        }
        var message = await tickets.AddMessageAsync(ticket,
            new NewMessage(MessageDirection.Outbound, ticket.Channel, agentName, text, Author: agentUserId, Id: messageId), ct, then ?? TicketStatus.PendingCustomer);
        return new ChannelReplyResult(message, notSent is null, notSent);
    }

    /// <summary>
    /// Opt-out words, alone in the message. "Cancel" and "end" are left out: alone they are as likely to be about an order, which
    /// must reach an agent.
    /// </summary>
    private static readonly string[] StopWords = ["STOP", "STOPALL", "UNSUBSCRIBE", "QUIT", "OPTOUT"];

    public static bool IsStop(string text) => StopWords.Contains(text.Trim().TrimEnd('.', '!').ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal));

    private static (string Kind, string Address) Sender(string channel, string? from)
    {
        var raw = from?.Trim() ?? "";
        if (channel is SupportChannels.Sms or SupportChannels.WhatsApp)
        {
            // WhatsApp providers often prefix the number ("whatsapp:+44…").
            if (raw.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase)) raw = raw["whatsapp:".Length..];
            return ContactAddress.NormalisePhone(raw) is { } phone ? (IdentityKinds.Phone, phone)
                : throw RequestValidationException.For("from", "A phone number in international format (+441632960001).");
        }
        var handle = raw.TrimStart('@').ToLowerInvariant();
        return handle.Length is > 0 and <= 100 && !handle.Any(char.IsWhiteSpace) ? (channel, handle)
            : throw RequestValidationException.For("from", "The sender's handle or id on the network (at most 100 characters, no spaces).");
    }

    private static string ChannelName(string channel) => channel switch
    {
        SupportChannels.Sms => "SMS",
        SupportChannels.WhatsApp => "WhatsApp",
        SupportChannels.Facebook => "Facebook",
        SupportChannels.Instagram => "Instagram",
        _ => "X",
    };
}
