using Centric.Server.Platform.Observability;

namespace Centric.Server.Commerce;

/// <summary>
/// The money path's log lines and counters in one place, so checkout, payment and carrier code each take one
/// dependency for both. Log messages carry order and tracking numbers and ids only, never personal data (event ids 3000–3099).
/// </summary>
public sealed partial class CommerceTelemetry(ILogger<CommerceTelemetry> logger, CentricMetrics metrics)
{
    public void OrderPlaced(string orderNumber, long totalMinor, string currency)
    {
        metrics.OrderPlaced();
        LogOrderPlaced(orderNumber, totalMinor, currency);
    }

    public void PaymentSucceeded(string orderNumber, Guid paymentId)
    {
        metrics.PaymentAttempted(paid: true);
        LogPaymentSucceeded(orderNumber, paymentId);
    }

    public void PaymentDeclined(string orderNumber, Guid paymentId, string? code)
    {
        metrics.PaymentAttempted(paid: false);
        LogPaymentDeclined(orderNumber, paymentId, code ?? "unknown");
    }

    public void CarrierEventApplied(string trackingNumber, string code)
    {
        metrics.CarrierEvent("applied");
        LogCarrierEvent(trackingNumber, code);
    }

    public void CarrierEventRefused(string reason)
    {
        metrics.CarrierEvent("refused");
        LogCarrierEventRefused(reason);
    }

    [LoggerMessage(3000, LogLevel.Information, "Order {OrderNumber} placed: {TotalMinor} {Currency} (minor units)")]
    private partial void LogOrderPlaced(string orderNumber, long totalMinor, string currency);

    [LoggerMessage(3010, LogLevel.Information, "Order {OrderNumber} paid (payment {PaymentId})")]
    private partial void LogPaymentSucceeded(string orderNumber, Guid paymentId);

    [LoggerMessage(3011, LogLevel.Information, "Payment {PaymentId} for order {OrderNumber} declined: {Code}")]
    private partial void LogPaymentDeclined(string orderNumber, Guid paymentId, string code);

    [LoggerMessage(3020, LogLevel.Information, "Carrier event {Code} applied to shipment {TrackingNumber}")]
    private partial void LogCarrierEvent(string trackingNumber, string code);

    [LoggerMessage(3021, LogLevel.Warning, "Carrier event refused: {Reason}")]
    private partial void LogCarrierEventRefused(string reason);
}
