using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Centric.Bench.Platform;

/// <summary>One call as the receiver saw it: which subscription (by URL), the interaction and delivery ids, and when.</summary>
public readonly record struct ReceivedDelivery(int Subscription, Guid InteractionId, Guid DeliveryId, long Timestamp);

/// <summary>
/// A fast webhook receiver in this process (Kestrel on loopback): answers 200 at once, records every call, and counts
/// calls that arrive for a subscription while an earlier call of the same subscription is still open.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<int, int> _open = new();
    private int _overlaps;
    private long _count;

    public ConcurrentQueue<ReceivedDelivery> Received { get; } = new();
    public string BaseUrl { get; private set; } = "";
    public long Count => Interlocked.Read(ref _count);
    /// <summary>Calls that arrived while another call of the same subscription was still being answered.</summary>
    public int Overlaps => Volatile.Read(ref _overlaps);

    private WebhookReceiver(WebApplication app) => _app = app;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook/{subscription:int}", async (int subscription, HttpRequest request) =>
        {
            if (receiver._open.AddOrUpdate(subscription, 1, (_, n) => n + 1) > 1) Interlocked.Increment(ref receiver._overlaps);
            try
            {
                // Read the body as a real receiver would (to check a signature), then answer.
                var buffer = new byte[8192];
                while (await request.Body.ReadAsync(buffer) > 0) { }
                var interaction = Guid.TryParse(request.Headers["Centric-Event-Id"], out var i) ? i : Guid.Empty;
                var delivery = Guid.TryParse(request.Headers["Centric-Delivery-Id"], out var d) ? d : Guid.Empty;
                receiver.Received.Enqueue(new ReceivedDelivery(subscription, interaction, delivery, Stopwatch.GetTimestamp()));
                Interlocked.Increment(ref receiver._count);
                return Results.Text("ok");
            }
            finally
            {
                receiver._open.AddOrUpdate(subscription, 0, (_, n) => n - 1);
            }
        });
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public string UrlFor(int subscription) => $"{BaseUrl}/hook/{subscription}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
