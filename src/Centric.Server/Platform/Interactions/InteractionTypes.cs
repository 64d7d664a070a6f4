namespace Centric.Server.Platform.Interactions;

/// <summary>
/// Every interaction type the product emits, with its properties. Producers write through these declarations
/// (<c>InteractionLog.Append(db, profileId, InteractionTypes.OrderPlaced, ...)</c>) and consumers match on them
/// (<c>InteractionTypes.TicketCreated.Is(i.Type)</c>), so a misspelt type is a compile error rather than a feature that
/// silently stops. docs/webhooks.md lists them, generated from here (a test fails when the two drift apart).
/// Integrators may send types of their own through the events API; those are stored as they come.
/// </summary>
public static class InteractionTypes
{
    // Customers
    public static readonly InteractionType<AccountProperties> AccountRegistered =
        new("account_registered", "customers", "The customer created an account.");
    public static readonly InteractionType<AccountProperties> AccountEmailVerified =
        new("account_email_verified", "customers", "The customer confirmed the email address of their account.");
    public static readonly InteractionType<ConsentChangedProperties> ConsentChanged =
        new("consent_changed", "customers", "Consent for a channel and purpose was given or withdrawn.");
    public static readonly InteractionType<ProfileMergedProperties> ProfileMerged =
        new("profile_merged", "customers", "Another profile turned out to be the same person and was merged into this one.");
    public static readonly InteractionType<NoProperties> ProfileErased =
        new("profile_erased", "customers", "The customer's personal data was erased on request.");
    public static readonly InteractionType<MessageSentProperties> MessageSent =
        new("message_sent", "customers", "A message went to the customer: an in-app notification or a service email.");

    // Commerce
    public static readonly InteractionType<ProductViewedProperties> ProductViewed =
        new("product_viewed", "commerce", "A product page was opened.");
    public static readonly InteractionType<SearchPerformedProperties> SearchPerformed =
        new("search_performed", "commerce", "The shop was searched.");
    public static readonly InteractionType<CartItemAddedProperties> CartItemAdded =
        new("cart_item_added", "commerce", "An item was put in the cart.");
    public static readonly InteractionType<CartItemRemovedProperties> CartItemRemoved =
        new("cart_item_removed", "commerce", "An item was taken out of the cart.");
    public static readonly InteractionType<CheckoutStartedProperties> CheckoutStarted =
        new("checkout_started", "commerce", "The checkout page was opened with a filled cart.");
    public static readonly InteractionType<OrderPlacedProperties> OrderPlaced =
        new("order_placed", "commerce", "An order was placed (before payment).");
    public static readonly InteractionType<PromotionRedeemedProperties> PromotionRedeemed =
        new("promotion_redeemed", "commerce", "A promotion (a discount code or an automatic offer) was applied to a placed order.");
    public static readonly InteractionType<OrderStatusChangedProperties> OrderStatusChanged =
        new("order_status_changed", "commerce", "An order moved on: paid, shipped, delivered, cancelled...");
    public static readonly InteractionType<PaymentFailedProperties> PaymentFailed =
        new("payment_failed", "commerce", "A payment for an order was declined.");
    public static readonly InteractionType<RefundIssuedProperties> RefundIssued =
        new("refund_issued", "commerce", "Money went back to the customer.");
    public static readonly InteractionType<ShipmentEventProperties> ShipmentEvent =
        new("shipment_event", "commerce", "The carrier reported progress on a shipment.");
    public static readonly InteractionType<ReturnRequestedProperties> ReturnRequested =
        new("return_requested", "commerce", "The customer asked to return or exchange items.");
    public static readonly InteractionType<ReturnStatusChangedProperties> ReturnStatusChanged =
        new("return_status_changed", "commerce", "A return moved on: approved, received, refunded...");
    public static readonly InteractionType<ExchangeShippedProperties> ExchangeShipped =
        new("exchange_shipped", "commerce", "A replacement for an exchanged item was sent.");
    public static readonly InteractionType<ReviewSubmittedProperties> ReviewSubmitted =
        new("review_submitted", "commerce", "The customer reviewed a product.");
    public static readonly InteractionType<LoyaltyPointsProperties> LoyaltyPointsEarned =
        new("loyalty_points_earned", "commerce", "The customer earned loyalty points: for a paid order, a review, a referral or their birthday.");
    public static readonly InteractionType<LoyaltyPointsRedeemedProperties> LoyaltyPointsRedeemed =
        new("loyalty_points_redeemed", "commerce", "Loyalty points were spent as money off an order at checkout, or given back when that order was cancelled or returned.");
    public static readonly InteractionType<LoyaltyPointsProperties> LoyaltyPointsAdjusted =
        new("loyalty_points_adjusted", "commerce", "Loyalty points were taken back (returned or cancelled goods), expired, or adjusted by staff.");
    public static readonly InteractionType<LoyaltyTierChangedProperties> LoyaltyTierChanged =
        new("loyalty_tier_changed", "commerce", "The customer moved to another loyalty tier (points earned over the last 12 months).");
    public static readonly InteractionType<SubscriptionStartedProperties> SubscriptionStarted =
        new("subscription_started", "commerce", "The customer subscribed to a product.");
    public static readonly InteractionType<SubscriptionChangedProperties> SubscriptionPaused =
        new("subscription_paused", "commerce", "The customer paused a subscription.");
    public static readonly InteractionType<SubscriptionChangedProperties> SubscriptionResumed =
        new("subscription_resumed", "commerce", "The customer resumed a paused subscription.");
    public static readonly InteractionType<SubscriptionChangedProperties> SubscriptionSkipped =
        new("subscription_skipped", "commerce", "The customer skipped the next delivery of a subscription.");
    public static readonly InteractionType<SubscriptionChangedProperties> SubscriptionCancelled =
        new("subscription_cancelled", "commerce", "A subscription was cancelled.");
    public static readonly InteractionType<SubscriptionChangedProperties> SubscriptionCardChanged =
        new("subscription_card_changed", "commerce", "The customer changed the card a subscription is paid with.");
    public static readonly InteractionType<SubscriptionRenewalDueProperties> SubscriptionRenewalDue =
        new("subscription_renewal_due", "commerce", "A subscription renews soon (the customer is reminded).");
    public static readonly InteractionType<SubscriptionRenewedProperties> SubscriptionRenewed =
        new("subscription_renewed", "commerce", "A subscription renewed and its order was paid.");
    public static readonly InteractionType<SubscriptionRenewalFailedProperties> SubscriptionRenewalFailed =
        new("subscription_renewal_failed", "commerce", "A renewal payment failed; it is retried or the subscription ends.");

    // Support
    public static readonly InteractionType<TicketCreatedProperties> TicketCreated =
        new("ticket_created", "support", "A ticket was opened, on any channel.");
    public static readonly InteractionType<TicketMessageProperties> TicketMessageReceived =
        new("ticket_message_received", "support", "The customer wrote on a ticket.");
    public static readonly InteractionType<TicketReplyProperties> TicketReplied =
        new("ticket_replied", "support", "An agent (or an automation) answered on a ticket.");
    public static readonly InteractionType<TicketReplyProperties> TicketCallLogged =
        new("ticket_call_logged", "support", "A phone call on a ticket was logged.");
    public static readonly InteractionType<TicketStatusChangedProperties> TicketStatusChanged =
        new("ticket_status_changed", "support", "A ticket moved on: pending, solved, closed...");
    public static readonly InteractionType<TicketMergedProperties> TicketMerged =
        new("ticket_merged", "support", "A ticket was merged into another one.");
    public static readonly InteractionType<TicketAcknowledgedProperties> TicketAcknowledged =
        new("ticket_acknowledged", "support", "The customer was told their ticket arrived, with articles that may help.");
    public static readonly InteractionType<CsatRequestedProperties> CsatRequested =
        new("csat_requested", "support", "The customer was asked to rate a solved ticket.");
    public static readonly InteractionType<CsatSubmittedProperties> CsatSubmitted =
        new("csat_submitted", "support", "The customer rated a solved ticket.");
    public static readonly InteractionType<ChatVisitorIdentifiedProperties> ChatVisitorIdentified =
        new("chat_visitor_identified", "support", "A chat visitor turned out to be this customer.");
    public static readonly InteractionType<HelpSearchedProperties> HelpSearched =
        new("help_searched", "support", "The help centre was searched.");
    public static readonly InteractionType<HelpArticleProperties> HelpArticleViewed =
        new("help_article_viewed", "support", "A help article was read.");
    public static readonly InteractionType<HelpArticleRatedProperties> HelpArticleRated =
        new("help_article_rated", "support", "A help article was rated helpful or not.");
    public static readonly InteractionType<HelpDeflectedProperties> HelpDeflected =
        new("help_deflected", "support", "An article answered the question the customer was about to send.");

    // Insights
    public static readonly InteractionType<ChurnRiskChangedProperties> ChurnRiskChanged =
        new("churn_risk_changed", "insights", "The customer's churn risk crossed the high threshold, upwards or back down.");
    public static readonly InteractionType<ValueDecileChangedProperties> ValueDecileChanged =
        new("value_decile_changed", "insights", "The customer moved to another value decile (1 = the most valuable tenth).");

    // Personalisation
    public static readonly InteractionType<RecommendationShownProperties> RecommendationShown =
        new("recommendation_shown", "personalisation", "A list of recommended products was shown to the customer (placement, A/B arm, model version).");
    public static readonly InteractionType<RecommendationClickedProperties> RecommendationClicked =
        new("recommendation_clicked", "personalisation", "The customer opened a recommended product (placement, A/B arm, model version).");
    public static readonly InteractionType<AlertRequestedProperties> AlertRequested =
        new("alert_requested", "personalisation", "The customer asked to be told when a product is back in stock or its price drops.");
    public static readonly InteractionType<AlertSentProperties> AlertSent =
        new("alert_sent", "personalisation", "The customer was told a product they asked about is back in stock or cheaper (the channel it went on).");
    // Engagement
    public static readonly InteractionType<SegmentMembershipProperties> SegmentEntered =
        new("segment_entered", "engagement", "The customer joined a segment: they now match its rule, or were added to its list.");
    public static readonly InteractionType<SegmentMembershipProperties> SegmentLeft =
        new("segment_left", "engagement", "The customer left a segment: they no longer match its rule, or were taken off its list.");
    public static readonly InteractionType<JourneyEnteredProperties> JourneyEntered =
        new("journey_entered", "engagement", "The customer entered a journey (the version they walk).");
    public static readonly InteractionType<JourneyExitedProperties> JourneyExited =
        new("journey_exited", "engagement", "The customer's walk through a journey ended: completed, goal reached, or left at an exit.");
    public static readonly InteractionType<MessageDeliveryProperties> MessageDelivered =
        new("message_delivered", "engagement", "A message reached its channel's carrier: the mail relay accepted an email, the SMS provider reported it delivered, a push service took a push notification for one of the customer's devices.");
    public static readonly InteractionType<MessageDeliveryProperties> MessageOpened =
        new("message_opened", "engagement", "The customer opened an email (its images were loaded); written on the first opening.");
    public static readonly InteractionType<MessageClickedProperties> MessageClicked =
        new("message_clicked", "engagement", "The customer followed a link in a message.");
    public static readonly InteractionType<MessageBouncedProperties> MessageBounced =
        new("message_bounced", "engagement", "A message could not be delivered: the mail provider reported a bounce, the relay, the SMS provider or the push services gave up, or every device of the customer's had expired (permanent).");
    public static readonly InteractionType<MessageDeliveryProperties> MessageUnsubscribed =
        new("message_unsubscribed", "engagement", "The customer unsubscribed through a message's link: its channel and purpose are withdrawn.");
    public static readonly InteractionType<SurveySentProperties> SurveySent =
        new("survey_sent", "engagement", "The customer was asked a survey question (NPS, CSAT or CES) by email and in-app notice.");
    public static readonly InteractionType<SurveyAnsweredProperties> SurveyAnswered =
        new("survey_answered", "engagement", "The customer answered a survey, or changed their answer (the score as it now stands and the length of the comment).");

    /// <summary>Every declared type, in the order above.</summary>
    public static IReadOnlyList<InteractionType> All { get; } =
    [
        AccountRegistered, AccountEmailVerified, ConsentChanged, ProfileMerged, ProfileErased, MessageSent,
        ProductViewed, SearchPerformed, CartItemAdded, CartItemRemoved, CheckoutStarted, OrderPlaced, PromotionRedeemed, OrderStatusChanged,
        PaymentFailed, RefundIssued, ShipmentEvent, ReturnRequested, ReturnStatusChanged, ExchangeShipped, ReviewSubmitted,
        LoyaltyPointsEarned, LoyaltyPointsRedeemed, LoyaltyPointsAdjusted, LoyaltyTierChanged,
        SubscriptionStarted, SubscriptionPaused, SubscriptionResumed, SubscriptionSkipped, SubscriptionCancelled,
        SubscriptionCardChanged, SubscriptionRenewalDue, SubscriptionRenewed, SubscriptionRenewalFailed,
        TicketCreated, TicketMessageReceived, TicketReplied, TicketCallLogged, TicketStatusChanged, TicketMerged,
        TicketAcknowledged, CsatRequested, CsatSubmitted, ChatVisitorIdentified,
        HelpSearched, HelpArticleViewed, HelpArticleRated, HelpDeflected,
        ChurnRiskChanged, ValueDecileChanged,
        RecommendationShown, RecommendationClicked, AlertRequested, AlertSent,
        SegmentEntered, SegmentLeft, JourneyEntered, JourneyExited, MessageDelivered, MessageOpened, MessageClicked, MessageBounced, MessageUnsubscribed,
        SurveySent, SurveyAnswered,
    ];

    /// <summary>The declaration with this wire name, or null for a type only an integrator sends.</summary>
    public static InteractionType? Find(string name) => All.FirstOrDefault(t => t.Is(name));
}

// The properties of each type. Names become camelCase in JSON; a nullable property may be null or absent.

public sealed record NoProperties;

public sealed record AccountProperties(string UserId);
public sealed record ConsentChangedProperties(string Channel, string Purpose, bool Granted, string Source);
public sealed record ProfileMergedProperties(Guid MergedProfileId, string Reason);
public sealed record MessageSentProperties(string Template, string Purpose, Guid? NotificationId = null, string? Title = null,
    string? Link = null, string? OrderNumber = null);

public sealed record ProductViewedProperties(Guid ProductId, string Category, decimal Price, string Currency);
public sealed record SearchPerformedProperties(string Query, int Results, string? Corrected, string? Category);
public sealed record CartItemAddedProperties(Guid ProductId, string Sku, string Category, int Quantity, decimal Price, string Currency);
public sealed record CartItemRemovedProperties(Guid ProductId, string Sku, int Quantity);
public sealed record CheckoutStartedProperties(int Items, decimal Total, string Currency);
public sealed record OrderedItem(Guid ProductId, string Sku, string Category, int Quantity, decimal Price);
public sealed record OrderPlacedProperties(Guid OrderId, string OrderNumber, decimal Total, string Currency, string ShippingMethod,
    string? PromoCode, OrderedItem[] Items, string[] Categories);
public sealed record PromotionRedeemedProperties(Guid PromotionId, string Name, string? Code, string Kind, Guid OrderId, string OrderNumber,
    decimal Amount, string Currency, string Explanation);
/// <summary><c>Kind</c>: earned_order, earned_review, earned_referral, earned_birthday, returned, expired or adjusted; <c>Balance</c> after the entry.</summary>
public sealed record LoyaltyPointsProperties(int Points, string Kind, int Balance, Guid? OrderId = null, string? OrderNumber = null, string? Note = null,
    DateTime? ExpiresAt = null);
/// <summary><c>Points</c> spent (negative) or given back (positive) and what they were worth.</summary>
public sealed record LoyaltyPointsRedeemedProperties(int Points, decimal Amount, string Currency, int Balance, Guid OrderId, string OrderNumber, string? Note = null);
public sealed record LoyaltyTierChangedProperties(string? From, string? To, int PointsEarned12Months);
public sealed record OrderStatusChangedProperties(Guid OrderId, string OrderNumber, string From, string To, string? By = null,
    decimal? Total = null, string? Currency = null);
public sealed record PaymentFailedProperties(Guid OrderId, string OrderNumber, string? Reason, decimal Amount, string Currency);
public sealed record RefundIssuedProperties(Guid OrderId, string OrderNumber, decimal Amount, string Currency, string? Reason, string? From = null);
public sealed record ShipmentEventProperties(Guid OrderId, string OrderNumber, string TrackingNumber, string Code, string? Location);
public sealed record ReturnedItem(string Sku, int Quantity);
public sealed record ReturnRequestedProperties(Guid ReturnId, string ReturnNumber, Guid OrderId, string OrderNumber, string Reason,
    string Resolution, ReturnedItem[] Items, decimal Amount, string Currency);
public sealed record ReturnStatusChangedProperties(Guid ReturnId, string ReturnNumber, string From, string To);
public sealed record ExchangeShippedProperties(string ReturnNumber, string OrderNumber, string ReplacementOrder, string Sku);
public sealed record ReviewSubmittedProperties(Guid ProductId, int Rating, bool VerifiedPurchase, int Length);
public sealed record SubscriptionStartedProperties(Guid SubscriptionId, string Sku, int IntervalDays, decimal Price, string Currency);
public sealed record SubscriptionChangedProperties(Guid SubscriptionId, string Status, DateTime? NextRenewalAt);
public sealed record SubscriptionRenewalDueProperties(Guid SubscriptionId, DateTime? RenewsAt, decimal Amount, string Currency);
public sealed record SubscriptionRenewedProperties(Guid SubscriptionId, Guid OrderId, string OrderNumber, decimal Amount, string Currency,
    DateTime? NextRenewalAt);
public sealed record SubscriptionRenewalFailedProperties(Guid SubscriptionId, string Reason, int Attempt, DateTime? RetryAt, bool Cancelled,
    decimal Amount, string Currency);

public sealed record TicketCreatedProperties(string TicketNumber, string? Subject, string Channel, string Priority, Guid? MessageId = null,
    string? SplitFromTicketNumber = null);
public sealed record TicketMessageProperties(string TicketNumber, Guid MessageId);
public sealed record TicketReplyProperties(string TicketNumber, Guid MessageId, string? AgentUserId, int? CallSeconds, string? CallOutcome, bool Automated);
public sealed record TicketStatusChangedProperties(string TicketNumber, string From, string To, string? By);
public sealed record TicketMergedProperties(string TicketNumber, string IntoTicketNumber, int Messages, string? AgentUserId);
public sealed record TicketAcknowledgedProperties(string TicketNumber, string[] SuggestedArticles);
public sealed record CsatRequestedProperties(string TicketNumber, bool Emailed);
public sealed record CsatSubmittedProperties(string TicketNumber, int Rating, string? Comment);
public sealed record ChatVisitorIdentifiedProperties(string Reason);
public sealed record HelpSearchedProperties(string Query, int Results, string[] Top, string Place);
public sealed record HelpArticleProperties(string Slug, Guid ArticleId);
public sealed record HelpArticleRatedProperties(string Slug, Guid ArticleId, bool Helpful);
public sealed record HelpDeflectedProperties(string Slug, Guid ArticleId, string Question);
public sealed record ChurnRiskChangedProperties(double Risk, double? Previous, double Threshold, bool High, string[] Reasons);
public sealed record ValueDecileChangedProperties(int From, int To, string By);
/// <summary><c>Arm</c> is "model" or "popularity"; <c>ModelVersion</c> is the recommendations model's version, null when none answered.</summary>
public sealed record RecommendationShownProperties(string Placement, string Arm, int? ModelVersion, Guid[] Products, Guid? ForProductId = null);
public sealed record RecommendationClickedProperties(string Placement, string Arm, int? ModelVersion, Guid ProductId, int Position);
/// <summary><c>Kind</c> is "back_in_stock" or "price_drop"; <c>PriceMinor</c> is the price when asked (a price drop's bar), in minor units.</summary>
public sealed record AlertRequestedProperties(Guid AlertId, Guid ProductId, string Product, string Kind, long? PriceMinor, string? Currency);
/// <summary><c>Channel</c> is the channel the alert went on (email, sms, in_app); <c>PriceMinor</c> the product's price then, in minor units.</summary>
public sealed record AlertSentProperties(Guid AlertId, Guid ProductId, string Product, string Kind, string Channel, long PriceMinor, string Currency);
/// <summary>Kind is "rule" (membership follows the rule) or "static" (a list uploaded or edited by staff).</summary>
public sealed record SegmentMembershipProperties(Guid SegmentId, string SegmentName, string Kind);
public sealed record JourneyEnteredProperties(Guid JourneyId, string JourneyName, int Version);
public sealed record JourneyExitedProperties(Guid JourneyId, string JourneyName, int Version, string Outcome, string? Arm);
/// <summary>Source is what sent the message ("journey:…", "campaign:…", "test"); Channel and Purpose are the message's.</summary>
public sealed record MessageDeliveryProperties(Guid MessageId, string Channel, string Purpose, string Source, Guid? TemplateId);
public sealed record MessageClickedProperties(Guid MessageId, string Channel, string Purpose, string Source, Guid? TemplateId, string Url);
public sealed record MessageBouncedProperties(Guid MessageId, string Channel, string Purpose, string Source, Guid? TemplateId, string Reason, bool Permanent);
/// <summary>What a survey asked about, when it is about something: an order, a ticket, a product, the channel it happened on, the agent who helped.</summary>
public sealed record SurveyContextProperties(string? OrderNumber = null, string? TicketNumber = null, string? Product = null, string? Channel = null,
    string? Agent = null);
/// <summary><c>Kind</c> is "nps", "csat" or "ces".</summary>
public sealed record SurveySentProperties(Guid SurveyId, Guid InvitationId, string Kind, string[] Channels, SurveyContextProperties? Context);
/// <summary>The answer as it now stands (an answer given again replaces the earlier one); the comment itself stays with the survey.</summary>
public sealed record SurveyAnsweredProperties(Guid SurveyId, Guid InvitationId, string Kind, int Score, int CommentLength,
    SurveyContextProperties? Context, bool Changed = false);
