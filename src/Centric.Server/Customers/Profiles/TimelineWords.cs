using System.Globalization;
using Centric.Server.Platform.Interactions;

namespace Centric.Server.Customers.Profiles;

/// <summary>A timeline entry as a person reads it: a sentence, and the record it is about (order, ticket, return...).</summary>
public sealed record TimelineLine(string Text, string? Href = null, string? LinkText = null);

/// <summary>
/// Kinds of interaction an agent filters the timeline by; each is a set of catalogued types (the timeline query takes
/// several types at once).
/// </summary>
public static class TimelineKinds
{
    public static readonly IReadOnlyList<(string Key, string Label, InteractionType[] Types)> All =
    [
        ("orders", "Orders and payments", [InteractionTypes.CheckoutStarted, InteractionTypes.OrderPlaced, InteractionTypes.PromotionRedeemed, InteractionTypes.OrderStatusChanged,
            InteractionTypes.PaymentFailed, InteractionTypes.RefundIssued]),
        ("deliveries", "Deliveries and returns", [InteractionTypes.ShipmentEvent, InteractionTypes.ReturnRequested,
            InteractionTypes.ReturnStatusChanged, InteractionTypes.ExchangeShipped]),
        ("subscriptions", "Subscriptions", [InteractionTypes.SubscriptionStarted, InteractionTypes.SubscriptionPaused, InteractionTypes.SubscriptionResumed,
            InteractionTypes.SubscriptionSkipped, InteractionTypes.SubscriptionCancelled, InteractionTypes.SubscriptionCardChanged,
            InteractionTypes.SubscriptionRenewalDue, InteractionTypes.SubscriptionRenewed, InteractionTypes.SubscriptionRenewalFailed]),
        ("support", "Support", [InteractionTypes.TicketCreated, InteractionTypes.TicketMessageReceived, InteractionTypes.TicketReplied,
            InteractionTypes.TicketCallLogged, InteractionTypes.TicketStatusChanged, InteractionTypes.TicketMerged, InteractionTypes.TicketAcknowledged,
            InteractionTypes.CsatRequested, InteractionTypes.CsatSubmitted, InteractionTypes.ChatVisitorIdentified]),
        ("browsing", "Browsing, reviews and help", [InteractionTypes.ProductViewed, InteractionTypes.SearchPerformed, InteractionTypes.CartItemAdded,
            InteractionTypes.CartItemRemoved, InteractionTypes.ReviewSubmitted, InteractionTypes.HelpSearched, InteractionTypes.HelpArticleViewed,
            InteractionTypes.HelpArticleRated, InteractionTypes.HelpDeflected]),
        ("account", "Account, consent and messages", [InteractionTypes.AccountRegistered, InteractionTypes.AccountEmailVerified,
            InteractionTypes.ConsentChanged, InteractionTypes.ProfileMerged, InteractionTypes.ProfileErased, InteractionTypes.MessageSent,
            InteractionTypes.MessageDelivered, InteractionTypes.MessageOpened, InteractionTypes.MessageClicked, InteractionTypes.MessageBounced,
            InteractionTypes.MessageUnsubscribed]),
        ("loyalty", "Loyalty points", [InteractionTypes.LoyaltyPointsEarned, InteractionTypes.LoyaltyPointsRedeemed, InteractionTypes.LoyaltyPointsAdjusted,
            InteractionTypes.LoyaltyTierChanged]),
        ("insights", "Insights", [InteractionTypes.ChurnRiskChanged, InteractionTypes.ValueDecileChanged]),
        ("recommendations", "Recommendations and alerts", [InteractionTypes.RecommendationShown, InteractionTypes.RecommendationClicked,
            InteractionTypes.AlertRequested, InteractionTypes.AlertSent]),
        ("segments", "Segments and journeys", [InteractionTypes.SegmentEntered, InteractionTypes.SegmentLeft, InteractionTypes.JourneyEntered,
            InteractionTypes.JourneyExited]),
        ("surveys", "Surveys", [InteractionTypes.SurveySent, InteractionTypes.SurveyAnswered]),
    ];

    /// <summary>The comma-separated types of a kind, for the timeline query; null for an unknown key.</summary>
    public static string? Types(string? key) =>
        All.FirstOrDefault(k => k.Key == key) is { Types: { } types } ? string.Join(',', types.Select(t => t.Name)) : null;
}

/// <summary>
/// One line of the timeline: an entry, or a run of consecutive entries of a type that comes in dozens and says little
/// alone (recommendations shown), read as one line. Entries are newest first, as the timeline lists them.
/// </summary>
public sealed record TimelineItem(IReadOnlyList<TimelineEntry> Entries)
{
    public TimelineEntry Latest => Entries[0];
    public TimelineEntry Earliest => Entries[^1];
    public bool IsRun => Entries.Count > 1;
}

/// <summary>Gathers consecutive entries of the noisy types into runs, so that they do not bury the rest of the timeline.</summary>
public static class TimelineRuns
{
    /// <summary>The types whose consecutive entries (on one channel) are read as one line; every other type keeps a line per entry.</summary>
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal) { InteractionTypes.RecommendationShown.Name };

    /// <summary>The entries (newest first) as lines: a run for two or more consecutive entries of a grouped type and channel.</summary>
    public static IReadOnlyList<TimelineItem> Group(IReadOnlyList<TimelineEntry> entries)
    {
        var items = new List<TimelineItem>();
        List<TimelineEntry>? run = null;
        foreach (var e in entries)
        {
            if (run is not null && Types.Contains(e.Type) && run[0].Type == e.Type && run[0].Channel == e.Channel)
            {
                run.Add(e);
                continue;
            }
            run = [e];
            items.Add(new TimelineItem(run));
        }
        return items;
    }

    /// <summary>A run in words: "Was shown recommendations 12 times".</summary>
    public static string Describe(TimelineItem run) => run.Latest.Type == InteractionTypes.RecommendationShown.Name
        ? $"Was shown recommendations {run.Entries.Count} times"
        : $"{TimelineWords.Humanise(run.Latest.Type)} × {run.Entries.Count}";

    /// <summary>When a run happened: "09:10–14:30" within a day, "3–5 Dec" or "28 Nov – 2 Dec" across days.</summary>
    public static string Span(TimelineItem run)
    {
        var (from, to) = (run.Earliest.OccurredAt, run.Latest.OccurredAt);
        if (from.Date == to.Date) return $"{Time(from)}–{Time(to)}";
        return from.Year == to.Year && from.Month == to.Month
            ? $"{from.Day.ToString(CultureInfo.InvariantCulture)}–{Day(to)}"
            : $"{Day(from)} – {Day(to)}";
    }

    private static string Time(DateTime at) => at.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Day(DateTime at) => at.ToString("d MMM", CultureInfo.InvariantCulture);
}

/// <summary>
/// Writes each catalogued interaction in plain words ("Ordered 2 items · €46.72", "Phone call about a late delivery · 4 min").
/// A type only an integrator sends, or properties that do not fit the declaration, fall back to the type's name.
/// </summary>
public static class TimelineWords
{
    /// <param name="ticketSubjects">Subjects of the tickets the entries mention, by number (from their ticket_created entries).</param>
    public static TimelineLine Describe(TimelineEntry e, IReadOnlyDictionary<string, string> ticketSubjects)
    {
        TimelineLine? line;
        try
        {
            line = Words(e, e.Properties.GetRawText(), ticketSubjects);
        }
        catch (Exception ex) when (ex is NullReferenceException or ArgumentException or InvalidOperationException or FormatException)
        {
            // Properties that parse but leave out what the declaration promises (an integrator's own shape): the name will do.
            line = null;
        }
        if (line is not null) return line;
        if (e.SourceKind == "order" && e.SourceId is { Length: > 0 } order) return Order(Humanise(e.Type), order);
        return new TimelineLine(Humanise(e.Type));
    }

    private static TimelineLine Ticket(string text, string ticket) => new(text, $"console/tickets/{ticket}", ticket);

    private static TimelineLine Order(string text, string number) => new(text, $"console/orders/{number}", number);

    private static TimelineLine Maybe(string? order, string text) => order is { Length: > 0 } number ? Order(text, number) : new(text);

    private static string About(IReadOnlyDictionary<string, string> subjects, string ticket) =>
        subjects.TryGetValue(ticket, out var s) && !string.IsNullOrWhiteSpace(s) ? $" about “{s}”" : "";

    private static TimelineLine? Words(TimelineEntry e, string json, IReadOnlyDictionary<string, string> subjects) =>
        e.Type switch
        {
            "account_registered" => new("Created an account"),
            "account_email_verified" => new("Confirmed their email address"),
            "consent_changed" when InteractionTypes.ConsentChanged.Read(json) is { } p =>
                new($"{(p.Granted ? "Agreed to" : "Declined")} {Humanise(p.Purpose)} by {p.Channel} · via {Humanise(p.Source)}"),
            "profile_merged" when InteractionTypes.ProfileMerged.Read(json) is { } p =>
                new($"Another profile was merged in ({Humanise(p.Reason)})", $"console/customers/{p.MergedProfileId}", "merged profile"),
            "profile_erased" => new("Personal data erased on request"),
            "message_sent" when InteractionTypes.MessageSent.Read(json) is { } p =>
                p.OrderNumber is { Length: > 0 } n
                    ? Order($"Sent “{p.Title ?? Humanise(p.Template)}”", n)
                    : new($"Sent “{p.Title ?? Humanise(p.Template)}”"),

            "product_viewed" when InteractionTypes.ProductViewed.Read(json) is { } p =>
                new($"Viewed a product in {Humanise(p.Category)} · {Money(p.Price, p.Currency)}", $"console/products/{p.ProductId}", "product"),
            "search_performed" when InteractionTypes.SearchPerformed.Read(json) is { } p =>
                new($"Searched the shop for “{p.Query}” · {Count(p.Results, "result")}"),
            "cart_item_added" when InteractionTypes.CartItemAdded.Read(json) is { } p =>
                new($"Put {Count(p.Quantity, "item")} of {p.Sku} in the cart · {Money(p.Price * p.Quantity, p.Currency)}"),
            "cart_item_removed" when InteractionTypes.CartItemRemoved.Read(json) is { } p =>
                new($"Took {p.Sku} out of the cart"),
            "checkout_started" when InteractionTypes.CheckoutStarted.Read(json) is { } p =>
                new($"Started checkout · {Count(p.Items, "item")} · {Money(p.Total, p.Currency)}"),
            "order_placed" when InteractionTypes.OrderPlaced.Read(json) is { } p =>
                Order($"Ordered {Count(p.Items.Sum(i => i.Quantity), "item")} · {Money(p.Total, p.Currency)}"
                    + (p.PromoCode is { Length: > 0 } code ? $" · code {code}" : ""), p.OrderNumber),
            "promotion_redeemed" when InteractionTypes.PromotionRedeemed.Read(json) is { } p =>
                Order($"Got “{p.Name}”" + (p.Code is { Length: > 0 } code ? $" (code {code})" : "") + $" · {p.Explanation} · −{Money(p.Amount, p.Currency)}",
                    p.OrderNumber),
            "order_status_changed" when InteractionTypes.OrderStatusChanged.Read(json) is { } p =>
                Order($"Order {Humanise(p.To)}" + (p.Total is { } t && p.Currency is { } c ? $" · {Money(t, c)}" : ""), p.OrderNumber),
            "payment_failed" when InteractionTypes.PaymentFailed.Read(json) is { } p =>
                Order($"Payment declined · {Money(p.Amount, p.Currency)}" + (p.Reason is { Length: > 0 } r ? $" · {Humanise(r)}" : ""), p.OrderNumber),
            "refund_issued" when InteractionTypes.RefundIssued.Read(json) is { } p =>
                Order($"Refunded {Money(p.Amount, p.Currency)}" + (p.Reason is { Length: > 0 } r ? $" · {Humanise(r)}" : ""), p.OrderNumber),
            "shipment_event" when InteractionTypes.ShipmentEvent.Read(json) is { } p =>
                Order($"Delivery {Humanise(p.Code)}" + (p.Location is { Length: > 0 } l ? $" · {l}" : ""), p.OrderNumber),
            "return_requested" when InteractionTypes.ReturnRequested.Read(json) is { } p =>
                new($"Asked to {(p.Resolution.Contains("exchange", StringComparison.OrdinalIgnoreCase) ? "exchange" : "return")} "
                    + $"{Count(p.Items.Sum(i => i.Quantity), "item")} from {p.OrderNumber} · {Humanise(p.Reason)} · {Money(p.Amount, p.Currency)}",
                    "console/returns", p.ReturnNumber),
            "return_status_changed" when InteractionTypes.ReturnStatusChanged.Read(json) is { } p =>
                new($"Return {Humanise(p.To)}", "console/returns", p.ReturnNumber),
            "exchange_shipped" when InteractionTypes.ExchangeShipped.Read(json) is { } p =>
                Order($"Replacement {p.Sku} sent for return {p.ReturnNumber}", p.ReplacementOrder),
            "review_submitted" when InteractionTypes.ReviewSubmitted.Read(json) is { } p =>
                new($"Reviewed a product · {Stars(p.Rating)}{(p.VerifiedPurchase ? " · verified purchase" : "")}", $"console/products/{p.ProductId}", "product"),
            "loyalty_points_earned" when InteractionTypes.LoyaltyPointsEarned.Read(json) is { } p =>
                Maybe(p.OrderNumber, $"Earned {Count(p.Points, "point")} · {p.Note ?? Humanise(p.Kind)} · balance {p.Balance:N0}"),
            "loyalty_points_redeemed" when InteractionTypes.LoyaltyPointsRedeemed.Read(json) is { } p =>
                Order(p.Points < 0 ? $"Used {Count(-p.Points, "point")} on the order · −{Money(-p.Amount, p.Currency)} · balance {p.Balance:N0}"
                    : $"Got {Count(p.Points, "point")} back{(p.Note is { Length: > 0 } n ? $" · {n}" : "")} · balance {p.Balance:N0}", p.OrderNumber),
            "loyalty_points_adjusted" when InteractionTypes.LoyaltyPointsAdjusted.Read(json) is { } p =>
                Maybe(p.OrderNumber, $"{(p.Kind == "expired" ? "Points expired" : p.Kind == "returned" ? "Points taken back" : "Points adjusted")} · "
                    + $"{(p.Points > 0 ? "+" : "−")}{Math.Abs(p.Points):N0}{(p.Note is { Length: > 0 } note ? $" · {note}" : "")} · balance {p.Balance:N0}"),
            "loyalty_tier_changed" when InteractionTypes.LoyaltyTierChanged.Read(json) is { } p =>
                new(p.To is null ? $"Left the loyalty tier {p.From}" : p.From is null ? $"Reached the loyalty tier {p.To}" : $"Moved from the loyalty tier {p.From} to {p.To}"),
            "subscription_started" when InteractionTypes.SubscriptionStarted.Read(json) is { } p =>
                new($"Subscribed to {p.Sku} every {Count(p.IntervalDays, "day")} · {Money(p.Price, p.Currency)}"),
            "subscription_paused" => new("Paused a subscription"),
            "subscription_resumed" => new("Resumed a subscription"),
            "subscription_skipped" => new("Skipped a subscription delivery"),
            "subscription_cancelled" => new("Cancelled a subscription"),
            "subscription_card_changed" => new("Changed the card of a subscription"),
            "subscription_renewal_due" when InteractionTypes.SubscriptionRenewalDue.Read(json) is { } p =>
                new($"Reminded of a subscription renewal · {Money(p.Amount, p.Currency)}"),
            "subscription_renewed" when InteractionTypes.SubscriptionRenewed.Read(json) is { } p =>
                Order($"Subscription renewed · {Money(p.Amount, p.Currency)}", p.OrderNumber),
            "subscription_renewal_failed" when InteractionTypes.SubscriptionRenewalFailed.Read(json) is { } p =>
                new($"Subscription renewal failed ({Humanise(p.Reason)})" + (p.Cancelled ? " · subscription ended" : $" · attempt {p.Attempt}")),

            "ticket_created" when InteractionTypes.TicketCreated.Read(json) is { } p =>
                Ticket($"Opened a ticket" + (p.Subject is { Length: > 0 } s ? $": “{s}”" : "") + $" · {Humanise(p.Priority)} priority", p.TicketNumber),
            "ticket_message_received" when InteractionTypes.TicketMessageReceived.Read(json) is { } p =>
                Ticket($"Wrote{About(subjects, p.TicketNumber)}", p.TicketNumber),
            "ticket_replied" when InteractionTypes.TicketReplied.Read(json) is { } p =>
                Ticket($"{(p.Automated ? "Automatic answer" : "Agent replied")}{About(subjects, p.TicketNumber)}", p.TicketNumber),
            "ticket_call_logged" when InteractionTypes.TicketCallLogged.Read(json) is { } p =>
                Ticket($"Phone call{About(subjects, p.TicketNumber)}" + (p.CallSeconds is { } secs ? $" · {Duration(secs)}" : "")
                    + (p.CallOutcome is { Length: > 0 } o ? $" · {Humanise(o)}" : ""), p.TicketNumber),
            "ticket_status_changed" when InteractionTypes.TicketStatusChanged.Read(json) is { } p =>
                Ticket($"{TicketStatus(p.To)}{About(subjects, p.TicketNumber)}", p.TicketNumber),
            "ticket_merged" when InteractionTypes.TicketMerged.Read(json) is { } p =>
                Ticket($"Ticket {p.TicketNumber} merged into {p.IntoTicketNumber}", p.IntoTicketNumber),
            "ticket_acknowledged" when InteractionTypes.TicketAcknowledged.Read(json) is { } p =>
                Ticket($"Told the ticket arrived" + (p.SuggestedArticles.Length > 0 ? $", with {Count(p.SuggestedArticles.Length, "article")} that may help" : ""), p.TicketNumber),
            "csat_requested" when InteractionTypes.CsatRequested.Read(json) is { } p =>
                Ticket($"Asked to rate the support{About(subjects, p.TicketNumber)}", p.TicketNumber),
            "csat_submitted" when InteractionTypes.CsatSubmitted.Read(json) is { } p =>
                Ticket($"Rated the support {Stars(p.Rating)}" + (p.Comment is { Length: > 0 } c ? $": “{Shorten(c, 120)}”" : ""), p.TicketNumber),
            "chat_visitor_identified" => new("A chat visitor was recognised as this customer"),
            "help_searched" when InteractionTypes.HelpSearched.Read(json) is { } p =>
                new($"Searched help for “{p.Query}” · {Count(p.Results, "result")}"),
            "help_article_viewed" when InteractionTypes.HelpArticleViewed.Read(json) is { } p =>
                new($"Read the help article “{Humanise(p.Slug)}”", $"help/{p.Slug}", "article"),
            "help_article_rated" when InteractionTypes.HelpArticleRated.Read(json) is { } p =>
                new($"Found “{Humanise(p.Slug)}” {(p.Helpful ? "helpful" : "not helpful")}", $"help/{p.Slug}", "article"),
            "help_deflected" when InteractionTypes.HelpDeflected.Read(json) is { } p =>
                new($"Found the answer in “{Humanise(p.Slug)}” instead of asking", $"help/{p.Slug}", "article"),

            "churn_risk_changed" when InteractionTypes.ChurnRiskChanged.Read(json) is { } p =>
                new(p.High ? $"Churn risk rose to {Percent(p.Risk)}" + (p.Reasons.Length > 0 ? $" · {p.Reasons[0]}" : "") : $"Churn risk fell to {Percent(p.Risk)}"),
            "value_decile_changed" when InteractionTypes.ValueDecileChanged.Read(json) is { } p =>
                new($"Moved from value decile {p.From} to {p.To} ({(p.To < p.From ? "more" : "less")} valuable)"),

            "recommendation_shown" when InteractionTypes.RecommendationShown.Read(json) is { } p =>
                new($"Was shown {Count(p.Products.Length, "recommended product")} · {Humanise(p.Placement)} · {Arm(p.Arm, p.ModelVersion)}"),
            "recommendation_clicked" when InteractionTypes.RecommendationClicked.Read(json) is { } p =>
                new($"Opened a recommended product (position {p.Position}) · {Humanise(p.Placement)} · {Arm(p.Arm, p.ModelVersion)}",
                    $"console/products/{p.ProductId}", "product"),
            "alert_requested" when InteractionTypes.AlertRequested.Read(json) is { } p =>
                new($"Asked to be told when “{p.Product}” {(p.Kind == "price_drop" ? "drops in price" : "is back in stock")}", $"console/products/{p.ProductId}", "product"),
            "alert_sent" when InteractionTypes.AlertSent.Read(json) is { } p =>
                new($"Was told “{p.Product}” {(p.Kind == "price_drop" ? $"is now {Platform.Http.MoneyText.Format(p.PriceMinor / 100m, p.Currency)}" : "is back in stock")} · {p.Channel.Replace('_', '-')}",
                    $"console/products/{p.ProductId}", "product"),
            "segment_entered" when InteractionTypes.SegmentEntered.Read(json) is { } p =>
                new($"Joined the segment “{p.SegmentName}”", $"console/segments/{p.SegmentId}", "segment"),
            "segment_left" when InteractionTypes.SegmentLeft.Read(json) is { } p =>
                new($"Left the segment “{p.SegmentName}”", $"console/segments/{p.SegmentId}", "segment"),
            "journey_entered" when InteractionTypes.JourneyEntered.Read(json) is { } p =>
                new($"Entered the journey “{p.JourneyName}” (version {p.Version})", $"console/journeys/{p.JourneyId}", "journey"),
            "journey_exited" when InteractionTypes.JourneyExited.Read(json) is { } p =>
                new($"{p.Outcome switch { "goal" => "Reached the goal of", "completed" => "Completed", _ => "Left" }} the journey “{p.JourneyName}”"
                    + (p.Arm is { } arm ? $" · arm {arm}" : ""), $"console/journeys/{p.JourneyId}", "journey"),
            "message_delivered" when InteractionTypes.MessageDelivered.Read(json) is { } p =>
                new($"A {Humanise(p.Channel)} message was delivered · {MessageFrom(p.Source)}"),
            "message_opened" when InteractionTypes.MessageOpened.Read(json) is { } p =>
                new($"Opened a {Humanise(p.Channel)} message · {MessageFrom(p.Source)}"),
            "message_clicked" when InteractionTypes.MessageClicked.Read(json) is { } p =>
                new($"Followed a link in a {Humanise(p.Channel)} message · {MessageFrom(p.Source)}"),
            "message_bounced" when InteractionTypes.MessageBounced.Read(json) is { } p =>
                new($"A {Humanise(p.Channel)} message could not be delivered{(p.Permanent ? " (the address does not work)" : "")} · {MessageFrom(p.Source)}"),
            "message_unsubscribed" when InteractionTypes.MessageUnsubscribed.Read(json) is { } p =>
                new($"Unsubscribed from {p.Purpose} {Humanise(p.Channel)} messages · {MessageFrom(p.Source)}"),
            "survey_sent" when InteractionTypes.SurveySent.Read(json) is { } p =>
                new($"Was asked a {SurveyName(p.Kind)} survey{SurveyAbout(p.Context)}", $"console/engagement/surveys/{p.SurveyId}", "survey"),
            "survey_answered" when InteractionTypes.SurveyAnswered.Read(json) is { } p =>
                new($"{(p.Changed ? "Changed a" : "Answered a")} {SurveyName(p.Kind)} survey: {p.Score}{SurveyAbout(p.Context)}" + (p.CommentLength > 0 ? " · with a comment" : ""),
                    $"console/engagement/surveys/{p.SurveyId}", "survey"),
            _ => null,
        };

    private static string SurveyName(string? kind) => kind?.ToUpperInvariant() ?? "";

    private static string SurveyAbout(SurveyContextProperties? c) =>
        c?.OrderNumber is { } order ? $" about order {order}" : c?.TicketNumber is { } ticket ? $" about request {ticket}" : c?.Product is { } product ? $" about {product}" : "";

    /// <summary>What sent a message, in words: its source is "journey:{id}:{step}", "campaign:{id}:{variant}", "survey:…" or "test".</summary>
    private static string MessageFrom(string source) => source.Split(':')[0] switch
    {
        "journey" => "from a journey",
        "campaign" => "from a campaign",
        "survey" => "a survey",
        "test" => "a test send",
        var other => Humanise(other),
    };

    private static string Arm(string arm, int? version) => arm == "model" && version is { } v ? $"model version {v}" : Humanise(arm);

    /// <summary>Ticket numbers the entries mention, to look their subjects up.</summary>
    public static IEnumerable<string> TicketNumbers(IEnumerable<TimelineEntry> entries) =>
        entries.Where(e => e.Type.StartsWith("ticket_", StringComparison.Ordinal) || e.Type.StartsWith("csat_", StringComparison.Ordinal))
            .Select(e => e.Properties.ValueKind == System.Text.Json.JsonValueKind.Object && e.Properties.TryGetProperty("ticketNumber", out var n)
                && n.ValueKind == System.Text.Json.JsonValueKind.String ? n.GetString() : null)
            .OfType<string>().Distinct();

    private static string TicketStatus(string to) => to.ToLowerInvariant() switch
    {
        "new" => "Ticket received",
        "open" => "Ticket being worked on",
        "pendingcustomer" or "pending_customer" => "Waiting for the customer",
        "onhold" or "on_hold" => "Ticket on hold",
        "solved" => "Ticket solved",
        "closed" => "Ticket closed",
        _ => "Ticket " + Humanise(to),
    };

    /// <summary>"late_delivery" → "late delivery"; "InTransit" → "in transit".</summary>
    public static string Humanise(string value)
    {
        var text = new System.Text.StringBuilder(value.Length + 4);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '_' or '-' or '.') { text.Append(' '); continue; }
            if (char.IsUpper(c) && i > 0 && char.IsLower(value[i - 1])) text.Append(' ');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    public static string Money(decimal amount, string currency) => Platform.Http.MoneyText.Format(amount, currency);

    public static string Duration(int seconds) =>
        seconds < 60 ? $"{seconds} s" : seconds < 3600 ? $"{(int)Math.Round(seconds / 60.0)} min" : $"{seconds / 3600} h {seconds % 3600 / 60} min";

    public static string Percent(double share) => share.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal);

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private static string Stars(int rating) => $"{rating} of 5";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max].TrimEnd() + "…";
}
