namespace Centric.Server.Insights.Costs;

/// <summary>
/// One figure of the business's cost model (insights_cost_rates): what an item costs, for one channel or for every channel
/// without a figure of its own (<see cref="CostModel.AnyChannel"/>). Amounts are in the shop's currency; the payment
/// percentage is per cent of the amount paid.
/// </summary>
public sealed class CostRate
{
    /// <summary>One of <see cref="CostItems"/>.</summary>
    public required string Item { get; set; }
    /// <summary>A channel (email, phone, sms…) or <see cref="CostModel.AnyChannel"/>.</summary>
    public required string Channel { get; set; }
    public decimal Amount { get; set; }
}

/// <summary>The items the cost model prices (docs/insights.md, "Cost to serve").</summary>
public static class CostItems
{
    /// <summary>A minute of an agent's time, by channel.</summary>
    public const string SupportMinute = "support_minute";
    /// <summary>How many minutes an agent's written reply (email, chat, messaging) is taken to cost; calls count their own length.</summary>
    public const string MinutesPerReply = "minutes_per_reply";
    public const string Shipment = "shipment";
    public const string Return = "return";
    /// <summary>Per cent of each payment's amount.</summary>
    public const string PaymentPercent = "payment_percent";
    /// <summary>A fixed fee per payment.</summary>
    public const string PaymentFixed = "payment_fixed";
    /// <summary>A message sent to the customer, by channel.</summary>
    public const string Message = "message";

    /// <summary>The items priced per channel.</summary>
    public static readonly string[] ByChannel = [SupportMinute, Message];

    public static readonly string[] All = [SupportMinute, MinutesPerReply, Shipment, Return, PaymentPercent, PaymentFixed, Message];
}

/// <summary>What each cost is counted as, in words, for the pages and the API.</summary>
public static class CostParts
{
    public const string Support = "support";
    public const string Shipping = "shipping";
    public const string Returns = "returns";
    public const string Payments = "payments";
    public const string Messages = "messages";

    public static readonly string[] All = [Support, Shipping, Returns, Payments, Messages];
}

/// <summary>
/// The business's cost model as a whole: the saved figures, or the documented defaults where nothing was saved. Prices the
/// cost drivers kept from the timeline (<see cref="CostDriver"/>), so a change of figures prices all history again.
/// </summary>
public sealed class CostModel
{
    public const string AnyChannel = "*";

    /// <summary>
    /// The defaults (docs/insights.md): an agent at about €36 an hour, phone a little dearer; four minutes per written reply;
    /// a parcel €4.50; a return (label and handling) €7.50; card payments 1.5% + €0.25; an email €0.002, an SMS €0.05, a
    /// web push €0.001, an in-app notice nothing, any other channel €0.02.
    /// </summary>
    public static IReadOnlyList<CostRate> Defaults { get; } =
    [
        new() { Item = CostItems.SupportMinute, Channel = AnyChannel, Amount = 0.60m },
        new() { Item = CostItems.SupportMinute, Channel = "phone", Amount = 0.75m },
        new() { Item = CostItems.MinutesPerReply, Channel = AnyChannel, Amount = 4m },
        new() { Item = CostItems.Shipment, Channel = AnyChannel, Amount = 4.50m },
        new() { Item = CostItems.Return, Channel = AnyChannel, Amount = 7.50m },
        new() { Item = CostItems.PaymentPercent, Channel = AnyChannel, Amount = 1.5m },
        new() { Item = CostItems.PaymentFixed, Channel = AnyChannel, Amount = 0.25m },
        new() { Item = CostItems.Message, Channel = AnyChannel, Amount = 0.02m },
        new() { Item = CostItems.Message, Channel = "email", Amount = 0.002m },
        new() { Item = CostItems.Message, Channel = "sms", Amount = 0.05m },
        new() { Item = CostItems.Message, Channel = "push", Amount = 0.001m },
        new() { Item = CostItems.Message, Channel = "in_app", Amount = 0m },
    ];

    private readonly Dictionary<(string Item, string Channel), decimal> _rates;

    public CostModel(IEnumerable<CostRate> rates, bool isDefault)
    {
        _rates = rates.ToDictionary(r => (r.Item, r.Channel), r => r.Amount);
        IsDefault = isDefault;
    }

    /// <summary>True while the business has not saved a model of its own.</summary>
    public bool IsDefault { get; }

    public IEnumerable<CostRate> Rates => _rates.Select(r => new CostRate { Item = r.Key.Item, Channel = r.Key.Channel, Amount = r.Value });

    /// <summary>The figure for an item on a channel: the channel's own, else every other channel's, else 0.</summary>
    public decimal Rate(string item, string channel = AnyChannel) =>
        _rates.TryGetValue((item, channel), out var own) ? own : _rates.GetValueOrDefault((item, AnyChannel));

    /// <summary>The channels that have a figure of their own for an item.</summary>
    public IReadOnlyList<string> Channels(string item) =>
        [.. _rates.Keys.Where(k => k.Item == item && k.Channel != AnyChannel).Select(k => k.Channel).Order(StringComparer.Ordinal)];

    /// <summary>
    /// What a sum of drivers of one kind on one channel costs, and what it counts as: support (written replies × minutes per
    /// reply, or call seconds ÷ 60, × the channel's minute), shipping, returns, payments (fixed fee per payment plus the
    /// percentage of the amount) or messages.
    /// </summary>
    public (string Part, decimal Amount) Price(string kind, string channel, long quantity, int count) => kind switch
    {
        CostDriverKinds.SupportReply => (CostParts.Support, quantity * Rate(CostItems.MinutesPerReply) * Rate(CostItems.SupportMinute, channel)),
        CostDriverKinds.SupportCall => (CostParts.Support, quantity / 60m * Rate(CostItems.SupportMinute, channel)),
        CostDriverKinds.Shipment => (CostParts.Shipping, quantity * Rate(CostItems.Shipment)),
        CostDriverKinds.Return => (CostParts.Returns, quantity * Rate(CostItems.Return)),
        CostDriverKinds.Payment => (CostParts.Payments, count * Rate(CostItems.PaymentFixed) + quantity / 100m * Rate(CostItems.PaymentPercent) / 100m),
        CostDriverKinds.Message => (CostParts.Messages, quantity * Rate(CostItems.Message, channel)),
        _ => (CostParts.Support, 0m),
    };
}
