using System.Diagnostics.Metrics;

namespace Centric.Server.Platform.Observability;

/// <summary>
/// The product's own instruments, on the meter "Centric" (exported with the ASP.NET Core, HttpClient, Kestrel,
/// SignalR and Npgsql meters at /metrics). Counters are incremented where the thing happens; the stream's depth and
/// lag are sampled by <see cref="StreamSampler"/>.
/// </summary>
public sealed class CentricMetrics
{
    public const string MeterName = "Centric";

    private readonly Counter<long> _checkouts;
    private readonly Counter<long> _payments;
    private readonly Counter<long> _carrierEvents;
    private readonly Counter<long> _inboundMessages;
    private readonly Counter<long> _deadLetters;

    public CentricMetrics(IMeterFactory meters, StreamSampler stream)
    {
        var meter = meters.Create(MeterName);
        _checkouts = meter.CreateCounter<long>("centric.checkout.orders", "{order}", "Orders placed at checkout.");
        _payments = meter.CreateCounter<long>("centric.checkout.payments", "{payment}", "Payment attempts by outcome (paid, declined).");
        _carrierEvents = meter.CreateCounter<long>("centric.carrier.events", "{event}", "Carrier tracking events by outcome.");
        _inboundMessages = meter.CreateCounter<long>("centric.support.inbound_messages", "{message}", "Inbound support messages by channel.");
        _deadLetters = meter.CreateCounter<long>("centric.dispatcher.dead_letters", "{interaction}", "Interactions parked because a subscriber kept failing on them.");
        meter.CreateObservableGauge("centric.outbox.depth", () => stream.Current.OutboxDepth, "{interaction}",
            "Interactions the slowest durable subscriber has not handled yet.");
        meter.CreateObservableGauge("centric.dispatcher.lag", () => stream.Current.LagSeconds, "s",
            "Age of the oldest interaction the slowest durable subscriber has not handled yet.");
        meter.CreateObservableGauge("centric.webhooks.backlog", () => stream.Current.WebhookBacklog, "{delivery}",
            "Webhook deliveries waiting to be sent or retried.");
    }

    public void OrderPlaced() => _checkouts.Add(1);

    public void PaymentAttempted(bool paid) => _payments.Add(1, new KeyValuePair<string, object?>("outcome", paid ? "paid" : "declined"));

    public void CarrierEvent(string outcome) => _carrierEvents.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void InboundMessage(string channel) => _inboundMessages.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void DeadLettered(string subscriber) => _deadLetters.Add(1, new KeyValuePair<string, object?>("subscriber", subscriber));
}
