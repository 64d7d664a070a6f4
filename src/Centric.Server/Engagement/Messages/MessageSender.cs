using System.Text.Encodings.Web;
using Centric.Server.Customers.Contracts;
using Centric.Server.Engagement.Templates;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Messages;

/// <summary>
/// Checks consent and the send key, fills in the template, then hands the message to its channel (<see cref="MessageChannels"/>):
/// email to the mail outbox (delivered by SMTP when one is configured), SMS to the SMS queue, in-app notices to the notification
/// centre. Every send is a <c>message_sent</c> interaction.
/// </summary>
public sealed class MessageSender(CentricDbContext db, ProfileTraits traits, TemplateRenderer renderer, MessageChannels channels,
    InteractionLog interactions, TimeProvider clock) : IMessageSender
{
    public async Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        if (await db.Set<EngagementMessage>().AnyAsync(m => m.SendKey == message.SendKey, ct)
            || db.ChangeTracker.Entries<EngagementMessage>().Any(e => e.Entity.SendKey == message.SendKey))
            return SendOutcome.AlreadySent;
        MessageTemplate? template = null;
        if (message.TemplateId is { } templateId)
        {
            template = await db.MessageTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct);
            if (template is null || template.Channel != message.Channel) return SendOutcome.NoTemplate;
        }
        if (!await traits.MayContactAsync(message.ProfileId, message.Channel, message.Purpose, ct)) return SendOutcome.NoConsent;
        var contact = await traits.ContactAsync(message.ProfileId, ct);
        if (contact is null) return SendOutcome.NoAddress;

        string subject, body;
        if (template is not null)
        {
            try { (subject, body) = await renderer.RenderAsync(template.Channel, template.Subject, template.Body, message.ProfileId, contact, message.Data, ct); }
            catch (DomainException e) when (e.Code == TemplateRenderer.RenderFailed) { return SendOutcome.NoTemplate; }
        }
        else
        {
            subject = message.Subject ?? "";
            // Text given without a template is plain text; an email gets it as one encoded paragraph, unless the sender composed
            // its own HTML (a survey's row of score links).
            body = message.Channel == "email" ? message.Html ?? $"<p>{HtmlEncoder.Default.Encode(message.Body ?? "")}</p>" : message.Body ?? "";
        }
        var row = new EngagementMessage
        {
            ProfileId = message.ProfileId, Channel = message.Channel, Purpose = message.Purpose, SendKey = message.SendKey, Source = message.Source,
            TemplateId = message.TemplateId, Subject = Fit(subject, 300), Body = Fit(body, 20_000), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var outcome = await channels.HandOverAsync(row, contact, subject, body, message.Link, ct);
        if (outcome != SendOutcome.Sent) return outcome;
        db.Add(row);
        // In-app notices write their own message_sent (the notification centre's); other channels write it here.
        if (message.Channel != ConsentChannels.InApp)
            interactions.Append(db, message.ProfileId, InteractionTypes.MessageSent, message.Channel,
                new MessageSentProperties(message.Source, message.Purpose, Title: subject, Link: message.Link),
                sourceKind: "message", sourceId: row.Id.ToString());
        return SendOutcome.Sent;
    }

    private static string Fit(string text, int max) => text.Length <= max ? text : text[..max];
}
