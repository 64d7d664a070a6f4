using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Mail;
using Centric.Server.Support.Knowledge;
using Centric.Server.Support.Sla;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Automation;

/// <summary>
/// What the product does by itself around a ticket: acknowledge it with suggested articles, answer out of hours from the
/// knowledge base (handing over to a person on request or low confidence), and ask for a rating once it is solved.
/// Customer mail respects service-email consent and goes through the mail outbox in the caller's unit of work.
/// </summary>
public sealed partial class TicketAutomation(CentricDbContext db, KnowledgeBase knowledge, InteractionLog interactions, MailOutbox mail,
    TimeProvider clock, IOptions<SupportAutomationOptions> options)
{
    public const string AssistantName = "Help assistant";

    /// <summary>Mails "we got your request" with up to three articles that may already answer it. Returns whether it was sent.</summary>
    public async Task<bool> AcknowledgeAsync(Ticket ticket, string text, CancellationToken ct)
    {
        if (!options.Value.AutoAcknowledge || await EmailAsync(ticket, ct) is not { } to) return false;
        // A query without searchable words lists any articles with score 0; suggest only articles that match the request.
        var articles = (await knowledge.SearchAsync(ticket.Subject + " " + text, 3, ct)).Where(a => a.Score > 0).ToList();
        var list = articles.Count == 0 ? "" :
            "<p>These articles may already help:</p><ul>" + string.Concat(articles.Select(a => $"<li><a href=\"/help/{a.Slug}\">{Html(a.Title)}</a></li>")) + "</ul>";
        mail.Add(db, to.Email!, $"We received your request: {ticket.Subject} [{ticket.Number}]",
            $"<p>Hello {Html(to.FirstName ?? to.DisplayName)},</p><p>Thank you for writing. Your request {ticket.Number} is with our team and we will answer soon.</p>{list}" +
            $"<p>Reply to this email to add anything; keep [{ticket.Number}] in the subject.</p>");
        interactions.Append(db, ticket.ProfileId, InteractionTypes.TicketAcknowledged, "email",
            new TicketAcknowledgedProperties(ticket.Number, [.. articles.Select(a => a.Slug)]), sourceKind: "ticket", sourceId: ticket.Number);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Outside business hours: answers from the knowledge base when the best article scores at least Support:Automation:AssistantMinScore
    /// and the customer did not ask for a person; otherwise leaves a note for the team. Returns whether it answered.
    /// </summary>
    public async Task<bool> AssistAsync(Ticket ticket, TicketWork work, string text, BusinessHours calendar, CancellationToken ct)
    {
        if (!options.Value.OutOfHoursAssistant || calendar.IsOpen(ticket.CreatedAt)) return false;
        var tickets = new TicketService(db, interactions, clock);
        if (AsksForPerson(text))
        {
            await tickets.AddMessageAsync(ticket, Note("Out of hours: the customer asked for a person; left for the team."), ct);
            return false;
        }
        var question = ticket.Subject + " " + text;
        var best = (await knowledge.SearchAsync(question, 1, ct)).FirstOrDefault();
        var confidence = best is null ? 0 : await knowledge.CoverageAsync(best, question, ct);
        if (best is null || confidence < options.Value.AssistantMinConfidence)
        {
            await tickets.AddMessageAsync(ticket, Note($"Out of hours: no confident answer in the help centre (best match covers {confidence:P0} of the question); left for the team."), ct);
            return false;
        }
        var answer = $"We are outside business hours, but this article may answer your question: \"{best.Title}\" — /help/{best.Slug}\n\n{best.Snippet}\n\n" +
                     "If it does not help, just reply \"agent\" and a person will pick this up when we open.";
        var emailTo = await EmailAsync(ticket, ct);
        await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Outbound, emailTo is null ? SupportChannels.Web : SupportChannels.Email,
            AssistantName, answer, Automated: true), ct, TicketStatus.PendingCustomer);
        if (emailTo is not null)
            mail.Add(db, emailTo.Email!, $"Re: {ticket.Subject} [{ticket.Number}]",
                $"<p>{Html(answer).Replace("\n", "<br>", StringComparison.Ordinal)}</p><p>— {AssistantName}</p>");
        work.AssistantAnswered = true;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>After the assistant answered, a customer asking for a person ("agent", "human") is handed to the team.</summary>
    public async Task<bool> HandOverIfAskedAsync(Ticket ticket, TicketWork work, string text, CancellationToken ct)
    {
        if (!work.AssistantAnswered || !AsksForPerson(text)) return false;
        work.AssistantAnswered = false;
        ticket.SetTags(ticket.Tags + " handover");
        await new TicketService(db, interactions, clock).AddMessageAsync(ticket, Note("The customer asked for a person after the assistant's answer."), ct, TicketStatus.Open);
        return true;
    }

    /// <summary>Sends the one satisfaction survey of a ticket the first time it is solved.</summary>
    public async Task<bool> RequestRatingAsync(Ticket ticket, CancellationToken ct)
    {
        if (!options.Value.CsatSurvey || await db.CsatSurveys.AnyAsync(s => s.TicketId == ticket.Id, ct)) return false;
        var survey = new CsatSurvey { TicketId = ticket.Id, ProfileId = ticket.ProfileId, TicketNumber = ticket.Number, SentAt = clock.GetUtcNow().UtcDateTime };
        db.CsatSurveys.Add(survey);
        var to = await EmailAsync(ticket, ct);
        if (to is not null)
            mail.Add(db, to.Email!, $"How did we do? [{ticket.Number}]",
                $"<p>Hello {Html(to.FirstName ?? to.DisplayName)},</p><p>Your request {ticket.Number} ({Html(ticket.Subject)}) is solved. " +
                $"Would you rate our help from 1 to 5?</p><p><a href=\"/support/{ticket.Number}/rating?key={survey.AccessKey}\">Rate this conversation</a></p>");
        interactions.Append(db, ticket.ProfileId, InteractionTypes.CsatRequested, to is null ? "web" : "email",
            new CsatRequestedProperties(ticket.Number, to is not null), sourceKind: "ticket", sourceId: ticket.Number);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public static bool AsksForPerson(string text) => PersonPattern().IsMatch(text);

    private async Task<ProfileContact?> EmailAsync(Ticket ticket, CancellationToken ct)
    {
        var customers = new ProfileTraits(db);
        var contact = await customers.ContactAsync(ticket.ProfileId, ct);
        if (contact?.Email is not { Length: > 0 }) return null;
        return await customers.MayContactAsync(ticket.ProfileId, "email", ConsentPurposes.Service, ct) ? contact : null;
    }

    private static NewMessage Note(string text) => new(MessageDirection.Note, SupportChannels.Web, AssistantName, text);

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);

    [GeneratedRegex(@"\b(agent|human|person|real person|someone|operator)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PersonPattern();
}
