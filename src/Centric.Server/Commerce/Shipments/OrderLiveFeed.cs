using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;

namespace Centric.Server.Commerce.Shipments;

/// <summary>In-process notice that an order changed, for pages that show it live.</summary>
public sealed class OrderLiveFeed
{
    public event Action<string>? Changed;

    public void Publish(string orderNumber) => Changed?.Invoke(orderNumber);
}

/// <summary>
/// Feeds the live pages from the interaction stream. Every server process runs its own copy (a live subscriber, its
/// position in memory), starting at the end of the stream, so each node hears every change whichever node made it.
/// </summary>
public sealed class LiveOrderUpdates(OrderLiveFeed feed) : IInteractionSubscriber
{
    public string Name => "commerce.live-orders";

    public bool IsLive => true;

    public Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        foreach (var number in batch.Where(i => i.SourceKind == "order" && i.SourceId is not null).Select(i => i.SourceId!).Distinct())
            feed.Publish(number);
        return Task.CompletedTask;
    }
}
