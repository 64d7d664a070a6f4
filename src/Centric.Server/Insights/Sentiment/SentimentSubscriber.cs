using Centric.Server.Commerce.Contracts;
using Centric.Server.Insights.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;
using Centric.Server.Support.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Sentiment;

/// <summary>
/// Scores the sentiment of every free-text interaction as it arrives — a customer's ticket, chat, email, SMS or social
/// message, a review, a CSAT comment, a survey comment — with the trained model when one is active and the lexicon otherwise, and stores it
/// beside the interaction. Idempotent: an interaction already scored is left as it is.
/// </summary>
internal sealed class SentimentSubscriber(MessageTexts messages, ReviewTexts reviews, SentimentScorers scorers, ISurveyFeedback surveys) : IInteractionSubscriber
{
    public string Name => "insights.sentiment";

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var texts = new List<(Interaction Interaction, string Source, string Text)>();
        var messageIds = new Dictionary<Guid, Interaction>();
        var surveyAnswers = new Dictionary<Guid, Interaction>();
        foreach (var i in batch)
        {
            if (InteractionTypes.TicketMessageReceived.Is(i.Type) && InteractionTypes.TicketMessageReceived.Read(i.Properties) is { } m)
                messageIds[m.MessageId] = i;
            else if (InteractionTypes.TicketCreated.Is(i.Type) && InteractionTypes.TicketCreated.Read(i.Properties) is { MessageId: { } first })
                messageIds[first] = i;
            else if (InteractionTypes.CsatSubmitted.Is(i.Type) && InteractionTypes.CsatSubmitted.Read(i.Properties) is { Comment: { Length: > 0 } comment })
                texts.Add((i, "csat_comment", comment));
            else if (InteractionTypes.ReviewSubmitted.Is(i.Type) && InteractionTypes.ReviewSubmitted.Read(i.Properties) is { } r
                && await reviews.ForAsync(i.ProfileId, r.ProductId, ct) is { } review)
                texts.Add((i, "review", review.Text));
            else if (InteractionTypes.SurveyAnswered.Is(i.Type) && InteractionTypes.SurveyAnswered.Read(i.Properties) is { CommentLength: > 0 })
                surveyAnswers[i.Id] = i;
        }
        if (surveyAnswers.Count > 0)
            foreach (var (id, comment) in await surveys.CommentsAsync(db, surveyAnswers.Keys, ct))
                if (!string.IsNullOrWhiteSpace(comment)) texts.Add((surveyAnswers[id], "survey_comment", comment));
        foreach (var m in await messages.InboundAsync(messageIds.Keys, ct))
            if (!string.IsNullOrWhiteSpace(m.Text)) texts.Add((messageIds[m.MessageId], "message", m.Text));
        if (texts.Count == 0) return;

        var ids = texts.Select(t => t.Interaction.Id).ToList();
        var done = (await db.TextSentiments.AsNoTracking().Where(s => ids.Contains(s.InteractionId)).Select(s => s.InteractionId).ToListAsync(ct)).ToHashSet();
        var (scorer, name) = await scorers.CurrentAsync(db, ct);
        foreach (var (i, source, text) in texts)
        {
            if (!done.Add(i.Id)) continue;
            var result = scorer.Score(text);
            db.TextSentiments.Add(new TextSentiment
            {
                InteractionId = i.Id, ProfileId = i.ProfileId, OccurredAt = i.OccurredAt, Source = source, Channel = i.Channel.Length > 20 ? i.Channel[..20] : i.Channel,
                Score = Math.Clamp(result.Score, -1, 1), Label = SentimentScorers.Label(result), Scorer = name,
            });
        }
        await db.SaveChangesAsync(ct);
    }
}
