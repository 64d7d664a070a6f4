namespace Centric.Server.Insights.Sentiment;

/// <summary>
/// The sentiment of one free-text interaction (insights_text_sentiments), stored beside it under the interaction's id:
/// what a customer wrote in a ticket, chat, email, SMS or social message, a review, a CSAT comment or a survey comment.
/// </summary>
public sealed class TextSentiment
{
    public Guid InteractionId { get; set; }
    public Guid ProfileId { get; set; }
    public DateTime OccurredAt { get; set; }
    /// <summary>message, review, csat_comment or survey_comment.</summary>
    public string Source { get; set; } = "";
    public string Channel { get; set; } = "";
    /// <summary>−1 (negative) … 1 (positive).</summary>
    public double Score { get; set; }
    /// <summary>positive, neutral or negative.</summary>
    public string Label { get; set; } = "";
    /// <summary>What scored it: <c>lexicon</c>, or <c>model v3</c> for version 3 of the trained model.</summary>
    public string Scorer { get; set; } = "";
}
