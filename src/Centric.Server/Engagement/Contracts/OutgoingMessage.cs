namespace Centric.Server.Engagement.Contracts;

/// <summary>
/// One message to one customer on one channel (<see cref="Customers.Contracts.ConsentChannels"/>: email, sms, push, in_app) for
/// one purpose (marketing or service). <see cref="SendKey"/> names the intended send ("journey:{run}:{step}", "campaign:{id}:{profile}"):
/// a second send with the same key is refused, so whatever retries a send never messages the customer twice.
/// The text comes from a template (<see cref="TemplateId"/>) or is given (<see cref="Subject"/>, <see cref="Body"/>); <see cref="Data"/>
/// fills a template's placeholders beyond the profile's own. An email may carry its own <see cref="Html"/> (a survey's score
/// links); <see cref="Body"/> stays its plain text. <see cref="KeyIsNew"/> says the key names something created in this unit of
/// work (a walk just begun), so no earlier message can carry it and it is not looked up.
/// </summary>
public sealed record OutgoingMessage(
    Guid ProfileId,
    string Channel,
    string Purpose,
    string SendKey,
    string Source,
    Guid? TemplateId = null,
    string? Subject = null,
    string? Body = null,
    string? Link = null,
    IReadOnlyDictionary<string, string>? Data = null,
    string? Html = null,
    bool KeyIsNew = false);

/// <summary>What became of a send.</summary>
public enum SendOutcome
{
    /// <summary>Queued for delivery in the caller's unit of work (committed by its SaveChanges).</summary>
    Sent,
    /// <summary>The customer does not allow this channel for this purpose (checked at the moment of sending).</summary>
    NoConsent,
    /// <summary>The customer has no address on this channel (no email, no phone, no push subscription), or was erased.</summary>
    NoAddress,
    /// <summary>A message with this send key exists already.</summary>
    AlreadySent,
    /// <summary>The template is missing or is for another channel.</summary>
    NoTemplate,
}

public static class SendOutcomes
{
    /// <summary>
    /// The word a journey's step log and a campaign's recipient keep for a send: sent (now or before, under the same key),
    /// no consent, or nowhere to send it (no address, no template).
    /// </summary>
    public static string Word(SendOutcome outcome) => outcome switch
    {
        SendOutcome.Sent or SendOutcome.AlreadySent => "sent",
        SendOutcome.NoConsent => "no_consent",
        _ => "no_address",
    };
}

/// <summary>
/// Sends messages on every channel: for Engagement (journeys, campaigns, surveys) and for the modules above it (Personalisation's price and stock alerts). It works in the caller's unit of work: the
/// message row, its <c>message_sent</c> interaction and the caller's own state (a journey step done) commit together or not at all.
/// </summary>
public interface IMessageSender
{
    Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken ct);

    /// <summary>Many messages at once, with the same checks (a campaign's slice); the outcomes in the order given.</summary>
    Task<IReadOnlyList<SendOutcome>> SendManyAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken ct);

    /// <summary>
    /// Reads these customers' consent and addresses once for the sends that follow in this unit of work (a stream batch whose
    /// walks may each send), instead of once per send. Customers not named are read when sent to, as without it. Returns those
    /// named who are live known customers (the ones it holds addresses for).
    /// </summary>
    Task<IReadOnlySet<Guid>> PrimeAsync(IReadOnlyCollection<Guid> profileIds, CancellationToken ct);
}
