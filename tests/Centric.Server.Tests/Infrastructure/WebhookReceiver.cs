using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Centric.Server.Tests.Infrastructure;

/// <param name="Tag">The <c>tag</c> query parameter of the URL called, to tell several subscriptions to one receiver apart.</param>
public sealed record ReceivedHook(string Body, string? Signature, string? EventType, string? DeliveryId, DateTime At, string? Tag = null)
{
    /// <summary>The producer's event id in a Centric webhook body.</summary>
    public string? EventId => System.Text.Json.JsonDocument.Parse(Body).RootElement.TryGetProperty("eventId", out var id) ? id.GetString() : null;
}

/// <summary>A real HTTP endpoint on loopback that records webhook calls and answers with scripted status codes.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script = new();

    public ConcurrentQueue<ReceivedHook> Received { get; } = new();
    public int DefaultStatus { get; set; } = 200;
    /// <summary>Awaited for each call before it is answered (to hold a call open, or count calls in flight).</summary>
    public Func<ReceivedHook, Task>? OnReceive { get; set; }
    public string Url { get; }

    private WebhookReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        // A path of its own: the port of a receiver an earlier test disposed can be handed to this one, and that test's
        // deliveries, still retried by a shared server, must not be counted here (they are answered 404).
        var path = "/hook/" + Guid.NewGuid().ToString("N");
        app.MapPost(path, async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            // Centric's webhooks sign with Centric-Signature; the support messaging provider calls with Support-Signature.
            var signature = request.Headers.TryGetValue("Centric-Signature", out var centric) ? centric.ToString() : request.Headers["Support-Signature"].ToString();
            var hook = new ReceivedHook(body, signature, request.Headers["Centric-Event-Type"], request.Headers["Centric-Delivery-Id"], DateTime.UtcNow,
                request.Query["tag"].FirstOrDefault());
            receiver!.Received.Enqueue(hook);
            if (receiver.OnReceive is { } onReceive) await onReceive(hook);
            var status = receiver._script.TryDequeue(out var s) ? s : receiver.DefaultStatus;
            return Results.Text(status == 200 ? "thanks" : "nope", statusCode: status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new WebhookReceiver(app, address + path);
        return receiver;
    }

    public void Answer(params int[] statuses)
    {
        foreach (var s in statuses) _script.Enqueue(s);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
