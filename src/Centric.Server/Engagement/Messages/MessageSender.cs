using Centric.Server.Engagement.Contracts;
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
    public Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken ct) => SendAsync(message, null, ct);

    /// <summary>
    /// A batch (a campaign's slice): the send keys already used, consent and addresses are read with one query each for the
    /// whole batch instead of one per message; each message is then checked and handed over as <see cref="SendAsync(OutgoingMessage, CancellationToken)"/> does.
    /// </summary>
    public async Task<IReadOnlyList<SendOutcome>> SendManyAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken ct)
    {
        var keys = messages.Select(m => m.SendKey).ToList();
        var (consent, contacts) = await ReadProfilesAsync(messages.Select(m => m.ProfileId).Distinct().ToList(), ct);
        var known = new Batch(
            (await db.Set<EngagementMessage>().Where(m => keys.Contains(m.SendKey)).Select(m => m.SendKey).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal),
            AllKeysRead: true, consent, contacts);
        var outcomes = new List<SendOutcome>(messages.Count);
        foreach (var message in messages) outcomes.Add(await SendAsync(message, known, ct));
        return outcomes;
    }

    public async Task<IReadOnlySet<Guid>> PrimeAsync(IReadOnlyCollection<Guid> profileIds, CancellationToken ct)
    {
        var (consent, contacts) = await ReadProfilesAsync(profileIds, ct);
        _primed = new Batch(new HashSet<string>(StringComparer.Ordinal), AllKeysRead: false, consent, contacts);
        return contacts.Keys.ToHashSet();
    }

    /// <summary>Consent and addresses of the batch's customers, read with one query each.</summary>
    private async Task<(Dictionary<(Guid, string, string), bool> Consent, Dictionary<Guid, ProfileContact> Contacts)> ReadProfilesAsync(
        IReadOnlyCollection<Guid> profiles, CancellationToken ct)
    {
        var facts = new ProfileFacts(db);
        var consent = (await facts.Consents.Where(c => profiles.Contains(c.ProfileId)).ToListAsync(ct)).ToDictionary(c => (c.ProfileId, c.Channel, c.Purpose), c => c.Granted);
        var contacts = await facts.Live.Where(p => profiles.Contains(p.Id)).Select(p => new { p.Id, p.FirstName, p.LastName, p.Email })
            .ToDictionaryAsync(p => p.Id, p => new ProfileContact(p.FirstName, p.LastName, p.Email,
                string.Join(' ', new[] { p.FirstName, p.LastName }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } name ? name : p.Email ?? "Unnamed customer"), ct);
        return (consent, contacts);
    }

    /// <summary>
    /// What a batch read up front; a profile it does not hold (merged away since) is looked up on its own. The send keys used:
    /// all of them read up front (a campaign's slice), or (a primed stream batch) those this batch used, each other one looked
    /// up as it is sent unless the caller knows it is new.
    /// </summary>
    private sealed record Batch(HashSet<string> UsedKeys, bool AllKeysRead, Dictionary<(Guid, string, string), bool> Consent, Dictionary<Guid, ProfileContact> Contacts)
    {
        public Dictionary<Guid, MessageTemplate?> Templates { get; } = [];
    }

    private Batch? _primed;

    private async Task<SendOutcome> SendAsync(OutgoingMessage message, Batch? batch, CancellationToken ct)
    {
        batch ??= _primed;
        // A batch keeps its own keys: looking through the unit of work's tracked rows at every message would cost the batch's size each time.
        if ((batch is not null ? !batch.UsedKeys.Add(message.SendKey) : db.ChangeTracker.Entries<EngagementMessage>().Any(e => e.Entity.SendKey == message.SendKey))
            || (batch is not { AllKeysRead: true } && !message.KeyIsNew && await db.Set<EngagementMessage>().AnyAsync(m => m.SendKey == message.SendKey, ct)))
            return SendOutcome.AlreadySent;
        MessageTemplate? template = null;
        if (message.TemplateId is { } templateId)
        {
            // A batch reads each template once.
            if (batch is null || !batch.Templates.TryGetValue(templateId, out template))
            {
                template = await db.MessageTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == templateId, ct);
                batch?.Templates.TryAdd(templateId, template);
            }
            if (template is null || template.Channel != message.Channel) return SendOutcome.NoTemplate;
        }
        var batched = batch?.Contacts.GetValueOrDefault(message.ProfileId);
        var allowed = batched is not null
            ? batch!.Consent.TryGetValue((message.ProfileId, message.Channel, message.Purpose), out var granted) ? granted : message.Purpose == ConsentPurposes.Service
            : await traits.MayContactAsync(message.ProfileId, message.Channel, message.Purpose, ct);
        if (!allowed) return SendOutcome.NoConsent;
        var contact = batched ?? await traits.ContactAsync(message.ProfileId, ct);
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
