namespace Centric.Server.Engagement.Surveys;

/// <summary>What a survey is about, when it is about something: each part optional. Channel is the channel it happened on.</summary>
public sealed record SurveyContext(string? OrderNumber = null, string? TicketNumber = null, string? Product = null, string? Channel = null, string? Agent = null);

public enum SurveyInviteOutcome
{
    /// <summary>The invitation and its messages are in the caller's unit of work (committed by its SaveChanges).</summary>
    Sent,
    /// <summary>An invitation with this send key exists already; nothing was sent again.</summary>
    AlreadyInvited,
    /// <summary>No such survey, or it is not active.</summary>
    NoSurvey,
    /// <summary>Neither the email nor the in-app notice could go (no consent or no address); no invitation was made.</summary>
    NotReached,
}

/// <summary>
/// <paramref name="Link"/> is the portal path that answers the invitation (<c>/surveys/{key}</c>): the key is the credential
/// and is known only at this moment, so it is given only for a new invitation.
/// </summary>
public sealed record SurveyInvitationResult(SurveyInviteOutcome Outcome, Guid? InvitationId = null, string? Link = null);

/// <summary>
/// Asks a customer a survey (journeys' survey steps, staff in the console). Like <c>IMessageSender</c> it works in the
/// caller's unit of work: the invitation, its email with one link per score, its in-app notice and the <c>survey_sent</c>
/// interaction commit with the caller's SaveChanges, and a second call with the same <c>sendKey</c> asks nobody twice.
/// </summary>
public interface ISurveys
{
    Task<SurveyInvitationResult> InviteAsync(Guid profileId, Guid surveyId, string sendKey, SurveyContext? context, CancellationToken ct);
}
