namespace Centric.Server.Customers.Contracts;

/// <summary>The one question every module asks before sending anything to a customer.</summary>
public interface IConsent
{
    /// <summary>
    /// May we contact this profile on this channel (email, sms, push, phone, in_app) for this purpose (marketing, service) now?
    /// Without a recorded answer, service messages are allowed and marketing is not (opt-in).
    /// </summary>
    Task<bool> MayContactAsync(Guid profileId, string channel, string purpose, CancellationToken ct);

    /// <summary>
    /// The customer said no through a channel of its own (an unsubscribe link, an SMS "STOP"): records the refusal, its history
    /// row and the <c>consent_changed</c> interaction in the caller's unit of work. Returns false when it was refused already.
    /// </summary>
    Task<bool> WithdrawAsync(Guid profileId, string channel, string purpose, string source, CancellationToken ct);
}

public static class ConsentChannels
{
    /// <summary>Notices in the portal's notification centre (the bell); see docs/commerce.md.</summary>
    public const string InApp = "in_app";
    /// <summary>Web push notifications on the customer's devices; see docs/engagement.md.</summary>
    public const string Push = "push";
    public static readonly string[] All = ["email", "sms", Push, "phone", InApp];

    /// <summary>A channel as people read it: "SMS", "In-app notices" rather than the stored key.</summary>
    public static string Words(string channel) => channel switch
    {
        "email" => "Email",
        "sms" => "SMS",
        Push => "Push notifications",
        "phone" => "Phone",
        InApp => "In-app notices",
        _ => channel,
    };
}

public static class ConsentPurposes
{
    public const string Marketing = "marketing";
    public const string Service = "service";
    public static readonly string[] All = [Marketing, Service];
}
