using System.Security.Cryptography;
using System.Text;
using Centric.Server.Insights.Contracts;

namespace Centric.Server.Engagement.Surveys;

/// <summary>A survey question staff ask customers (engagement_surveys): NPS 0–10, CSAT 1–5 or CES 1–7, with an optional comment box.</summary>
public sealed class Survey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>nps, csat or ces (<see cref="SurveyKinds"/>); fixed once the survey exists, so its answers stay comparable.</summary>
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string Question { get; set; } = "";
    /// <summary>The comment box's label ("What is the main reason for your score?"); no comment box when null.</summary>
    public string? CommentPrompt { get; set; }
    /// <summary>Only an active survey is sent; answers to invitations already sent are still taken.</summary>
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? CreatedBy { get; set; }

    public (int Min, int Max) Scale => SurveyScale.Of(Kind);
}

/// <summary>
/// One customer asked one survey (engagement_survey_invitations), and their answer as it now stands. The link's key is the
/// credential (no sign-in needed), so only its SHA-256 hash is kept; answering again replaces the score and the comment.
/// </summary>
public sealed class SurveyInvitation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SurveyId { get; set; }
    public Guid ProfileId { get; set; }
    /// <summary>Hex SHA-256 of the link's key; unique.</summary>
    public string KeyHash { get; set; } = "";
    /// <summary>The caller's name for this send ("journey:{run}:{step}"); unique, so a retried send asks once.</summary>
    public string SendKey { get; set; } = "";
    public string? OrderNumber { get; set; }
    public string? TicketNumber { get; set; }
    public string? Product { get; set; }
    /// <summary>The channel the survey is about (web, store, phone, chat...), for the results by channel.</summary>
    public string? Channel { get; set; }
    public string? Agent { get; set; }
    public DateTime SentAt { get; set; }
    /// <summary>When the customer first answered; the results' ranges go by it.</summary>
    public DateTime? AnsweredAt { get; set; }
    public DateTime? UpdatedAt { get; set; }
    public int? Score { get; set; }
    public string? Comment { get; set; }
    /// <summary>The <c>survey_answered</c> interaction that carried the current comment (its sentiment is stored under it).</summary>
    public Guid? AnswerInteractionId { get; set; }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>256 random bits, URL-safe: unguessable, so the link alone may answer.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public static class SurveyScale
{
    public static (int Min, int Max) Of(string kind) => kind switch
    {
        SurveyKinds.Nps => (0, 10),
        SurveyKinds.Csat => (1, 5),
        SurveyKinds.Ces => (1, 7),
        _ => (0, 0),
    };

    /// <summary>The words at the two ends of the scale, as the question and the email show them.</summary>
    public static (string Low, string High) Ends(string kind) => kind switch
    {
        SurveyKinds.Nps => ("Not at all likely", "Extremely likely"),
        SurveyKinds.Csat => ("Very dissatisfied", "Very satisfied"),
        _ => ("Very difficult", "Very easy"),
    };

    public static string Name(string kind) => kind switch
    {
        SurveyKinds.Nps => "NPS",
        SurveyKinds.Csat => "CSAT",
        SurveyKinds.Ces => "CES",
        _ => kind,
    };
}
