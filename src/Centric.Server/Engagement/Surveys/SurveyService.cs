using Centric.Server.Engagement.Contracts;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Centric.Server.Customers.Contracts;
using Centric.Server.Engagement.Messages;
using Centric.Server.Insights.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Surveys;

/// <summary>A new survey, or the changes to one (the kind is fixed once it exists).</summary>
public sealed record SurveyDraft(string? Kind, string? Name, string? Question, string? CommentPrompt, bool? Active);

public sealed record SurveySummary(Guid Id, string Kind, string Name, string Question, string? CommentPrompt, bool Active,
    int Invited, int Answered, double? Score, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record SurveyList(IReadOnlyList<SurveySummary> Items);

/// <summary>How many answers gave one score.</summary>
public sealed record SurveyScoreCount(int Score, int Answers);

/// <summary>The answers about one channel, product or agent, and their score.</summary>
public sealed record SurveyBreakdownRow(string Value, int Answers, double? Score);

public sealed record SurveyCommentRow(Guid ProfileId, DateTime AnsweredAt, int Score, string Comment, string? Channel, string? Product, string? Agent,
    string? OrderNumber, string? TicketNumber, double? Sentiment, string? SentimentLabel);

/// <summary>
/// A survey's results over a range of days: the answers given in it (each as it now stands), their score and spread, the
/// response rate of the invitations sent in it, the breakdowns by the context's channel, product and agent, and the latest comments.
/// </summary>
public sealed record SurveyResults(Guid SurveyId, string Kind, string From, string To, int Invited, int Answered, double? ResponseRate, double? Score,
    IReadOnlyList<SurveyScoreCount> Distribution, IReadOnlyList<SurveyBreakdownRow> ByChannel, IReadOnlyList<SurveyBreakdownRow> ByProduct,
    IReadOnlyList<SurveyBreakdownRow> ByAgent, IReadOnlyList<SurveyCommentRow> Comments);

/// <summary>An invitation as its landing page shows it.</summary>
public sealed record SurveyQuestion(Guid InvitationId, Guid ProfileId, string Kind, string Name, string Question, string? CommentPrompt, int Min, int Max,
    int? Score, string? Comment, DateTime? AnsweredAt, string? About);

/// <summary>One of a customer's own answered surveys, for their account.</summary>
public sealed record AnsweredSurvey(string Name, string Question, string Kind, int Score, int Max, string? Comment, DateTime AnsweredAt, string? About);

/// <summary>Surveys: define them, send them (<see cref="ISurveys"/>), take answers by the link's key, and work out results.</summary>
internal sealed class SurveyService(CentricDbContext db, IMessageSender sender, InteractionLog interactions, TimeProvider clock) : ISurveys
{
    public const int MaxRangeDays = 1096;
    public const int MaxComment = 2000;
    private const int RecentComments = 20;

    public async Task<IReadOnlyList<SurveySummary>> ListAsync(CancellationToken ct)
    {
        var surveys = await db.Surveys.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        var counts = await Tallies(db.SurveyInvitations).ToDictionaryAsync(t => t.SurveyId, ct);
        return [.. surveys.Select(s => Summary(s, counts.GetValueOrDefault(s.Id)))];
    }

    public async Task<SurveySummary?> FindAsync(Guid id, CancellationToken ct)
    {
        if (await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is not { } survey) return null;
        var tally = await Tallies(db.SurveyInvitations.Where(i => i.SurveyId == id)).FirstOrDefaultAsync(ct);
        return Summary(survey, tally);
    }

    public async Task<SurveySummary> CreateAsync(SurveyDraft draft, string? by, CancellationToken ct)
    {
        var kind = draft.Kind?.Trim().ToLowerInvariant();
        if (kind is null || !SurveyKinds.All.Contains(kind)) throw RequestValidationException.For("kind", "nps, csat or ces.");
        var now = clock.GetUtcNow().UtcDateTime;
        var survey = new Survey { Kind = kind, CreatedAt = now, CreatedBy = by is { Length: > 320 } ? by[..320] : by };
        Apply(survey, draft, now);
        db.Surveys.Add(survey);
        await db.SaveChangesAsync(ct);
        return Summary(survey, null);
    }

    public async Task<SurveySummary?> UpdateAsync(Guid id, SurveyDraft draft, CancellationToken ct)
    {
        if (await db.Surveys.FirstOrDefaultAsync(s => s.Id == id, ct) is not { } survey) return null;
        if (draft.Kind is { } kind && !string.Equals(kind.Trim(), survey.Kind, StringComparison.OrdinalIgnoreCase))
            throw new DomainException("survey_kind_fixed", "A survey's kind cannot change once it exists, so its answers stay comparable; create a new survey instead.");
        Apply(survey, draft, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return await FindAsync(id, ct);
    }

    public async Task<SurveyInvitationResult> InviteAsync(Guid profileId, Guid surveyId, string sendKey, SurveyContext? context, CancellationToken ct)
    {
        sendKey = sendKey?.Trim() ?? "";
        if (sendKey.Length is 0 or > 160) throw RequestValidationException.For("sendKey", "A send key of 1 to 160 characters.");
        var earlier = db.ChangeTracker.Entries<SurveyInvitation>().Select(e => e.Entity).FirstOrDefault(i => i.SendKey == sendKey)?.Id
            ?? await db.SurveyInvitations.Where(i => i.SendKey == sendKey).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct);
        if (earlier is { } id) return new(SurveyInviteOutcome.AlreadyInvited, id);
        if (await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.Id == surveyId && s.Active, ct) is not { } survey) return new(SurveyInviteOutcome.NoSurvey);

        var key = SurveyInvitation.NewKey();
        var link = "/surveys/" + key;
        var invitation = new SurveyInvitation
        {
            SurveyId = survey.Id, ProfileId = profileId, KeyHash = SurveyInvitation.Hash(key), SendKey = sendKey, SentAt = clock.GetUtcNow().UtcDateTime,
            OrderNumber = Clip(context?.OrderNumber, 40), TicketNumber = Clip(context?.TicketNumber, 40), Product = Clip(context?.Product, 200),
            Channel = Clip(context?.Channel, 40)?.ToLowerInvariant(), Agent = Clip(context?.Agent, 120),
        };
        var about = About(invitation);
        var subject = about is null ? "A quick question" : $"A quick question about {about}";
        var source = $"survey:{survey.Id}";
        var sent = new List<string>();
        if (await sender.SendAsync(new OutgoingMessage(profileId, "email", ConsentPurposes.Service, $"survey:{sendKey}:email", source,
                Subject: subject, Body: $"{survey.Question} Answer at {link}", Link: link, Html: EmailHtml(survey, link)), ct) == SendOutcome.Sent)
            sent.Add("email");
        if (await sender.SendAsync(new OutgoingMessage(profileId, ConsentChannels.InApp, ConsentPurposes.Service, $"survey:{sendKey}:in_app", source,
                Subject: subject, Body: survey.Question, Link: link), ct) == SendOutcome.Sent)
            sent.Add(ConsentChannels.InApp);
        if (sent.Count == 0) return new(SurveyInviteOutcome.NotReached);
        db.SurveyInvitations.Add(invitation);
        interactions.Append(db, profileId, InteractionTypes.SurveySent, sent[0],
            new SurveySentProperties(survey.Id, invitation.Id, survey.Kind, [.. sent], Context(invitation)), sourceKind: "survey", sourceId: invitation.Id.ToString());
        return new(SurveyInviteOutcome.Sent, invitation.Id, link);
    }

    /// <summary>
    /// The invitation a link's key opens. Null (the page answers 404) for a wrong key, and for a customer signed in as
    /// someone else: a customer only ever sees their own surveys.
    /// </summary>
    public async Task<SurveyQuestion?> FindByKeyAsync(string? key, Guid? signedInProfile, CancellationToken ct)
    {
        if (await InvitationAsync(key, signedInProfile, track: false, ct) is not { } invitation) return null;
        var survey = await db.Surveys.AsNoTracking().FirstAsync(s => s.Id == invitation.SurveyId, ct);
        return Question(survey, invitation);
    }

    /// <summary>
    /// Records the answer (a second answer replaces the first: one answer per invitation) and its <c>survey_answered</c>
    /// interaction together. Null when the key opens nothing for this visitor; a score outside the survey's scale is a 400.
    /// </summary>
    public async Task<SurveyQuestion?> AnswerAsync(string? key, Guid? signedInProfile, int? score, string? comment, bool keepComment, CancellationToken ct)
    {
        if (await InvitationAsync(key, signedInProfile, track: true, ct) is not { } invitation) return null;
        var survey = await db.Surveys.AsNoTracking().FirstAsync(s => s.Id == invitation.SurveyId, ct);
        var (min, max) = survey.Scale;
        if (score is not { } value || value < min || value > max) throw RequestValidationException.For("score", $"A score from {min} to {max}.");
        var text = keepComment ? invitation.Comment : string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (text is { Length: > MaxComment }) throw RequestValidationException.For("comment", $"At most {MaxComment} characters.");
        if (survey.CommentPrompt is null) text = null;
        if (invitation.Score == value && invitation.Comment == text && invitation.AnsweredAt is not null) return Question(survey, invitation);

        var now = clock.GetUtcNow().UtcDateTime;
        var changed = invitation.AnsweredAt is not null;
        invitation.AnsweredAt ??= now;
        invitation.UpdatedAt = now;
        invitation.Score = value;
        invitation.Comment = text;
        var answered = interactions.Append(db, invitation.ProfileId, InteractionTypes.SurveyAnswered, "web",
            new SurveyAnsweredProperties(survey.Id, invitation.Id, survey.Kind, value, text?.Length ?? 0, Context(invitation), changed),
            sourceKind: "survey", sourceId: invitation.Id.ToString());
        invitation.AnswerInteractionId = answered.Id;
        await db.SaveChangesAsync(ct);
        return Question(survey, invitation);
    }

    /// <summary>The customer's own answered surveys, newest first.</summary>
    public async Task<IReadOnlyList<AnsweredSurvey>> AnsweredByAsync(Guid profileId, CancellationToken ct)
    {
        var rows = await db.SurveyInvitations.AsNoTracking().Where(i => i.ProfileId == profileId && i.AnsweredAt != null)
            .Join(db.Surveys, i => i.SurveyId, s => s.Id, (i, s) => new { i, s }).OrderByDescending(x => x.i.AnsweredAt).Take(100).ToListAsync(ct);
        return [.. rows.Select(x => new AnsweredSurvey(x.s.Name, x.s.Question, x.s.Kind, x.i.Score ?? 0, x.s.Scale.Max, x.i.Comment, x.i.AnsweredAt!.Value, About(x.i)))];
    }

    public async Task<SurveyResults?> ResultsAsync(Guid id, string? from, string? to, CancellationToken ct)
    {
        var (start, end) = Range(from, to);
        if (await db.Surveys.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is not { } survey) return null;
        var (startAt, endAt) = (start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), end.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var sent = await db.SurveyInvitations.AsNoTracking().Where(i => i.SurveyId == id && i.SentAt >= startAt && i.SentAt < endAt)
            .GroupBy(i => 1).Select(g => new { Invited = g.Count(), Answered = g.Count(i => i.AnsweredAt != null) }).FirstOrDefaultAsync(ct);
        var answers = await db.SurveyInvitations.AsNoTracking().Where(i => i.SurveyId == id && i.AnsweredAt >= startAt && i.AnsweredAt < endAt && i.Score != null)
            .Select(i => new { Score = i.Score!.Value, i.Channel, i.Product, i.Agent }).ToListAsync(ct);
        var comments = await db.SurveyInvitations.AsNoTracking()
            .Where(i => i.SurveyId == id && i.AnsweredAt >= startAt && i.AnsweredAt < endAt && i.Comment != null)
            .OrderByDescending(i => i.UpdatedAt).Take(RecentComments).ToListAsync(ct);
        var sentiments = await new TextSentimentFacts(db).ForAsync([.. comments.Where(c => c.AnswerInteractionId != null).Select(c => c.AnswerInteractionId!.Value)], ct);

        IReadOnlyList<SurveyBreakdownRow> By(Func<string?, string?, string?, string?> value) => [.. answers
            .GroupBy(a => value(a.Channel, a.Product, a.Agent)).Where(g => g.Key is not null)
            .Select(g => new SurveyBreakdownRow(g.Key!, g.Count(), Round(SurveyMath.Score(survey.Kind, [.. g.Select(a => a.Score)]))))
            .OrderByDescending(r => r.Answers).ThenBy(r => r.Value, StringComparer.Ordinal)];
        var (min, max) = survey.Scale;
        return new SurveyResults(survey.Id, survey.Kind, Day(start), Day(end), sent?.Invited ?? 0, answers.Count,
            sent is { Invited: > 0 } ? Math.Round((double)sent.Answered / sent.Invited, 4) : null,
            Round(SurveyMath.Score(survey.Kind, [.. answers.Select(a => a.Score)])),
            [.. Enumerable.Range(min, max - min + 1).Select(s => new SurveyScoreCount(s, answers.Count(a => a.Score == s)))],
            By((channel, _, _) => channel), By((_, product, _) => product), By((_, _, agent) => agent),
            [.. comments.Select(c =>
            {
                var sentiment = c.AnswerInteractionId is { } answer ? sentiments.GetValueOrDefault(answer) : null;
                return new SurveyCommentRow(c.ProfileId, c.AnsweredAt!.Value, c.Score ?? 0, c.Comment!, c.Channel, c.Product, c.Agent, c.OrderNumber, c.TicketNumber,
                    sentiment is null ? null : Math.Round(sentiment.Score, 2), sentiment?.Label);
            })]);
    }

    /// <summary>A range of UTC days as requests give it (<c>from</c> inclusive, <c>to</c> exclusive); the last 90 days up to today when left out.</summary>
    public (DateOnly From, DateOnly To) Range(string? from, string? to)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var end = string.IsNullOrWhiteSpace(to) ? today.AddDays(1) : ParseDay("to", to);
        var start = string.IsNullOrWhiteSpace(from) ? end.AddDays(-90) : ParseDay("from", from);
        if (end <= start) throw RequestValidationException.For("to", "After from (the range is from inclusive, to exclusive).");
        if (end.DayNumber - start.DayNumber > MaxRangeDays) throw RequestValidationException.For("to", $"At most {MaxRangeDays} days after from.");
        return (start, end);
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string field, string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 2000 and <= 2100
            ? day : throw RequestValidationException.For(field, "A day as yyyy-MM-dd.");

    private async Task<SurveyInvitation?> InvitationAsync(string? key, Guid? signedInProfile, bool track, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 100) return null;
        var hash = SurveyInvitation.Hash(key);
        var query = track ? db.SurveyInvitations : db.SurveyInvitations.AsNoTracking();
        var invitation = await query.FirstOrDefaultAsync(i => i.KeyHash == hash, ct);
        return invitation is null || (signedInProfile is { } me && me != invitation.ProfileId) ? null : invitation;
    }

    private static SurveyQuestion Question(Survey survey, SurveyInvitation i) =>
        new(i.Id, i.ProfileId, survey.Kind, survey.Name, survey.Question, survey.CommentPrompt, survey.Scale.Min, survey.Scale.Max, i.Score, i.Comment, i.AnsweredAt, About(i));

    /// <summary>"order K-1234", "request T-99", a product: what the survey is about, in words for the customer.</summary>
    private static string? About(SurveyInvitation i) =>
        i.OrderNumber is { } order ? $"order {order}" : i.TicketNumber is { } ticket ? $"request {ticket}" : i.Product;

    private static SurveyContextProperties? Context(SurveyInvitation i) =>
        i is { OrderNumber: null, TicketNumber: null, Product: null, Channel: null, Agent: null } ? null
            : new SurveyContextProperties(i.OrderNumber, i.TicketNumber, i.Product, i.Channel, i.Agent);

    /// <summary>The email: the question and one link per score, so one click answers; the page then offers the comment box.</summary>
    private static string EmailHtml(Survey survey, string link)
    {
        var encode = HtmlEncoder.Default;
        var (min, max) = survey.Scale;
        var (low, high) = SurveyScale.Ends(survey.Kind);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p>{encode.Encode(survey.Question)}</p><p>");
        for (var s = min; s <= max; s++)
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"{link}?score={s}\" style=\"display:inline-block;min-width:2em;padding:.4em;margin:.1em;border:1px solid #888;text-align:center\">{s}</a> ");
        html.Append(CultureInfo.InvariantCulture, $"</p><p><small>{min} = {encode.Encode(low)}, {max} = {encode.Encode(high)}</small></p>");
        html.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{link}\">Open the survey</a> to add a comment.</p>");
        return html.ToString();
    }

    private static void Apply(Survey survey, SurveyDraft draft, DateTime now)
    {
        var errors = new Dictionary<string, string[]>();
        var name = draft.Name?.Trim() ?? "";
        var question = draft.Question?.Trim() ?? "";
        var prompt = string.IsNullOrWhiteSpace(draft.CommentPrompt) ? null : draft.CommentPrompt.Trim();
        if (name.Length is 0 or > 120 || name.Any(char.IsControl)) errors["name"] = ["A name of 1 to 120 characters."];
        if (question.Length is 0 or > 500 || question.Any(char.IsControl)) errors["question"] = ["The question, 1 to 500 characters."];
        if (prompt is { Length: > 300 } || prompt?.Any(char.IsControl) == true) errors["commentPrompt"] = ["At most 300 characters."];
        if (errors.Count > 0) throw new RequestValidationException(errors.First().Value[0], errors);
        (survey.Name, survey.Question, survey.CommentPrompt, survey.UpdatedAt) = (name, question, prompt, now);
        if (draft.Active is { } active) survey.Active = active;
    }

    private sealed record Tally(Guid SurveyId, int Invited, int Answered, int Promoters, int Detractors, int Satisfied, double? Mean);

    private static IQueryable<Tally> Tallies(IQueryable<SurveyInvitation> invitations) =>
        invitations.GroupBy(i => i.SurveyId).Select(g => new Tally(g.Key, g.Count(), g.Count(i => i.Score != null),
            g.Count(i => i.Score >= 9), g.Count(i => i.Score <= 6), g.Count(i => i.Score >= 4), g.Average(i => (double?)i.Score)));

    private static SurveySummary Summary(Survey s, Tally? t)
    {
        double? score = t is not { Answered: > 0 } ? null : s.Kind switch
        {
            SurveyKinds.Nps => 100.0 * (t.Promoters - t.Detractors) / t.Answered,
            SurveyKinds.Csat => (double)t.Satisfied / t.Answered,
            _ => t.Mean,
        };
        return new(s.Id, s.Kind, s.Name, s.Question, s.CommentPrompt, s.Active, t?.Invited ?? 0, t?.Answered ?? 0, Round(score), s.CreatedAt, s.UpdatedAt);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private static string? Clip(string? text, int max)
    {
        var t = text?.Trim();
        return string.IsNullOrEmpty(t) ? null : t.Length > max ? t[..max] : t;
    }
}

/// <summary>
/// Engagement's answer to Insights' <see cref="ISurveyFeedback"/>: the NPS and CES KPIs, and the comments its sentiment
/// subscriber scores. Reads only the DbContext it is given.
/// </summary>
internal sealed class SurveyFeedback : ISurveyFeedback
{
    public async Task<double?> ScoreAsync(CentricDbContext db, string kind, DateTime since, DateTime until, string? channel, CancellationToken ct)
    {
        var scores = await db.SurveyInvitations.AsNoTracking()
            .Where(i => i.Score != null && i.AnsweredAt >= since && i.AnsweredAt < until && (channel == null || i.Channel == channel)
                && db.Surveys.Any(s => s.Id == i.SurveyId && s.Kind == kind))
            .Select(i => i.Score!.Value).ToListAsync(ct);
        return SurveyMath.Score(kind, scores);
    }

    public async Task<IReadOnlyDictionary<Guid, string>> CommentsAsync(CentricDbContext db, IReadOnlyCollection<Guid> interactionIds, CancellationToken ct)
    {
        var ids = interactionIds.Select(i => (Guid?)i).ToList();
        return await db.SurveyInvitations.AsNoTracking().Where(i => ids.Contains(i.AnswerInteractionId) && i.Comment != null)
            .ToDictionaryAsync(i => i.AnswerInteractionId!.Value, i => i.Comment!, ct);
    }
}
