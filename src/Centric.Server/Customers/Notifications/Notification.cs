namespace Centric.Server.Customers.Notifications;

/// <summary>One notice in a customer's notification centre (the bell in the portal).</summary>
public sealed class Notification
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    /// <summary>What it is about, for grouping and for the timeline (e.g. order_shipped, subscription_renewal_failed).</summary>
    public required string Topic { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    /// <summary>A portal path (starting with /) that opens what the notice is about.</summary>
    public string? Link { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}
