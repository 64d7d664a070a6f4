using System.Diagnostics;
using System.Text;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Webhooks;

public sealed class WebhookOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>A delivery is given up this long after it was created.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Deliveries one subscription sends in a turn, one after another, before their outcomes are written together.</summary>
    public int BatchSize { get; set; } = 100;
    /// <summary>Subscriptions one node sends to at the same time (each one delivery at a time).</summary>
    public int Concurrency { get; set; } = 32;
    /// <summary>Keep-alive connections the node holds open to one receiving host.</summary>
    public int MaxConnectionsPerServer { get; set; } = 32;
    public bool Enabled { get; set; } = true;
    /// <summary>Lets subscriptions point at loopback, private and link-local addresses (receivers on an internal network). Off by default.</summary>
    public bool AllowPrivateNetworks { get; set; }
}

/// <summary>
/// Sends due deliveries. Work is handed out per subscription: a node takes a subscription for a turn (a conditional update
/// of its row, so two nodes never hold one at once), sends up to <see cref="WebhookOptions.BatchSize"/> of its due
/// deliveries in sequence order, one after another, then writes their outcomes and attempts and gives the subscription
/// back, all in one transaction. Different subscriptions are sent to at the same time, up to
/// <see cref="WebhookOptions.Concurrency"/> per node, over pooled keep-alive connections.
/// </summary>
public sealed class WebhookSender(IServiceScopeFactory scopes, IHttpClientFactory http, IOptions<WebhookOptions> options,
    TimeProvider clock, ILogger<WebhookSender> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    public const string SignatureHeader = "Centric-Signature";
    private const int SnippetLength = 500;

    /// <summary>A subscription this node holds for one turn.</summary>
    private sealed record Turn(Guid SubscriptionId, Guid Token, DateTime Until);

    /// <summary>How long a turn holds its subscription; a slow turn extends it before it runs out.</summary>
    private TimeSpan Lease => options.Value.RequestTimeout * 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            var free = Math.Max(1, options.Value.Concurrency) - running.Count;
            if (free > 0)
            {
                try
                {
                    foreach (var turn in await ClaimAsync(free, stoppingToken)) running.Add(SendTurnAsync(turn, stoppingToken));
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
                catch (Exception e) { Log.WorkerFailed(logger, e, nameof(WebhookSender)); }
            }
            // Nothing more to take now: wait until a turn ends (its slot is free again) or the poll interval passes.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(options.Value.PollInterval, clock, wait.Token);
            await Task.WhenAny(running.Append(delay));
            await wait.CancelAsync();
            try { await delay; }
            catch (OperationCanceledException) { }
        }
        await Task.WhenAll(running);
    }

    /// <summary>Takes the subscriptions with due deliveries that no node holds (up to the concurrency) and sends one turn for each; returns how many deliveries were attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var turns = await ClaimAsync(Math.Max(1, options.Value.Concurrency), ct);
        return (await Task.WhenAll(turns.Select(t => SendTurnAsync(t, ct)))).Sum();
    }

    /// <summary>Takes up to <paramref name="max"/> subscriptions that have due deliveries and that no node holds, longest-waiting first.</summary>
    private async Task<List<Turn>> ClaimAsync(int max, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.WebhookSubscriptions.AsNoTracking()
            .Where(s => (s.SenderToken == null || s.SenderUntil < now) &&
                        db.WebhookDeliveries.Any(d => d.SubscriptionId == s.Id && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now))
            .OrderBy(s => s.SenderUntil ?? DateTime.MinValue).Take(max).Select(s => s.Id).ToListAsync(ct);
        if (candidates.Count == 0) return [];

        // The update re-checks that nobody holds each row, so of two nodes racing for a subscription only one takes it.
        var token = Guid.NewGuid();
        var until = now + Lease;
        await db.WebhookSubscriptions.Where(s => candidates.Contains(s.Id) && (s.SenderToken == null || s.SenderUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.SenderToken, token).SetProperty(s => s.SenderUntil, until), ct);
        var taken = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.SenderToken == token).Select(s => s.Id).ToListAsync(ct);
        return taken.Select(id => new Turn(id, token, until)).ToList();
    }

    /// <summary>
    /// One turn: the subscription's due deliveries — first attempts in sequence order, retries when their time comes — each
    /// sent only after the one before it has been answered (or has failed), then every outcome, attempt and the
    /// subscription's release in one transaction.
    /// </summary>
    private async Task<int> SendTurnAsync(Turn turn, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var o = options.Value;
        var outcomes = new List<DeliveryOutcome>();
        var attempts = new List<WebhookAttempt>();
        try
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == turn.SubscriptionId, ct);
            var due = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.SubscriptionId == turn.SubscriptionId && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now)
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Sequence).Take(Math.Max(1, o.BatchSize)).ToListAsync(ct);
            var client = http.CreateClient(HttpClientName);
            var until = turn.Until;
            foreach (var delivery in due)
            {
                if (ct.IsCancellationRequested) break;
                // A slow receiver: hold the subscription long enough for the next attempt, or stop if another node has it now.
                if (until - clock.GetUtcNow().UtcDateTime < o.RequestTimeout * 2)
                {
                    var extended = clock.GetUtcNow().UtcDateTime + Lease;
                    if (await db.WebhookSubscriptions.Where(s => s.Id == turn.SubscriptionId && s.SenderToken == turn.Token)
                            .ExecuteUpdateAsync(u => u.SetProperty(s => s.SenderUntil, extended), ct) == 0) break;
                    until = extended;
                }
                var (attempt, outcome) = await AttemptAsync(client, delivery, subscription, ct);
                attempts.Add(attempt);
                outcomes.Add(outcome);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.WorkerFailed(logger, e, nameof(WebhookSender));
        }
        catch (OperationCanceledException)
        {
            // Shutting down: what was sent is still recorded below, so it is not sent again after the restart.
        }

        try
        {
            // Recorded even while shutting down: a short write that spares the receivers a second copy.
            await RecordAsync(db, turn, outcomes, attempts, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The subscription is released when its hold runs out; what was sent is sent again (deliveries are at least once).
            Log.WorkerFailed(logger, e, nameof(WebhookSender));
        }
        return outcomes.Count;
    }

    /// <summary>Outcomes and attempts of a turn, and the subscription given back, in one transaction.</summary>
    private async Task RecordAsync(CentricDbContext db, Turn turn, List<DeliveryOutcome> outcomes, List<WebhookAttempt> attempts, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await DeliveryOutcomes.WriteAsync(db, outcomes, ct);
        await BulkInsert.WriteAsync(db, attempts, ct);
        // Back in line: SenderUntil now says when it was last served, so the longest-waiting subscription goes next.
        await db.WebhookSubscriptions.Where(s => s.Id == turn.SubscriptionId && s.SenderToken == turn.Token)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.SenderToken, (Guid?)null).SetProperty(s => s.SenderUntil, now), ct);
        await tx.CommitAsync(ct);
    }

    private async Task<(WebhookAttempt Attempt, DeliveryOutcome Outcome)> AttemptAsync(HttpClient client, WebhookDelivery delivery,
        WebhookSubscription? subscription, CancellationToken ct)
    {
        var o = options.Value;
        var started = clock.GetUtcNow();
        var number = delivery.Attempts + 1;
        var attempt = new WebhookAttempt { DeliveryId = delivery.Id, Number = number, At = started.UtcDateTime };
        var stopwatch = Stopwatch.StartNew();
        var ok = false;
        if (subscription is null || !subscription.Active)
        {
            attempt.Error = "subscription removed or paused";
        }
        else
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
                {
                    Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
                };
                request.Headers.Add(SignatureHeader, Signing.HmacSignature.Sign(subscription.Secret, started.ToUnixTimeSeconds(), delivery.Payload));
                request.Headers.Add("Centric-Delivery-Id", delivery.Id.ToString());
                request.Headers.Add("Centric-Event-Id", delivery.InteractionId.ToString());
                request.Headers.Add("Centric-Event-Type", delivery.EventType);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(o.RequestTimeout);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                attempt.StatusCode = (int)response.StatusCode;
                attempt.ResponseSnippet = await SnippetAsync(response.Content, timeout.Token);
                ok = response.IsSuccessStatusCode;
                Log.WebhookAttempt(logger, delivery.Id, number, attempt.StatusCode.Value);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                attempt.Error = e.Message.Length > SnippetLength ? e.Message[..SnippetLength] : e.Message;
                Log.WebhookAttemptFailed(logger, delivery.Id, number, attempt.Error);
            }
        }
        attempt.DurationMs = (int)stopwatch.ElapsedMilliseconds;

        var now = clock.GetUtcNow().UtcDateTime;
        if (ok) return (attempt, new DeliveryOutcome(delivery.Id, number, WebhookDeliveryStatus.Delivered, delivery.NextAttemptAt, now, attempt.StatusCode, null));
        var next = now + RetryDelay(number);
        var status = next > delivery.CreatedAt + o.GiveUpAfter ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
        return (attempt, new DeliveryOutcome(delivery.Id, number, status, status == WebhookDeliveryStatus.Pending ? next : delivery.NextAttemptAt,
            null, attempt.StatusCode, attempt.Error));
    }

    /// <summary>The start of the answer, read no further than needed (a receiver may answer with a large body).</summary>
    private static async Task<string> SnippetAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[SnippetLength * 4];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        var charset = content.Headers.ContentType?.CharSet;
        var text = (charset is null ? Encoding.UTF8 : EncodingFor(charset)).GetString(buffer, 0, read);
        return text.Length > SnippetLength ? text[..SnippetLength] : text;
    }

    private static Encoding EncodingFor(string charset)
    {
        try { return Encoding.GetEncoding(charset.Trim('"')); }
        catch (ArgumentException) { return Encoding.UTF8; }
    }

    /// <summary>30 s, 1 min, 2 min, … capped at an hour: about 30 attempts across the 24-hour window.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var o = options.Value;
        var factor = Math.Pow(2, Math.Min(attempts - 1, 20));
        return TimeSpan.FromTicks((long)Math.Min(o.FirstRetryDelay.Ticks * factor, o.MaxDelay.Ticks));
    }
}
