using System.ComponentModel.DataAnnotations;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Signing;
using Microsoft.Extensions.Options;

namespace Centric.Server.Engagement.Sms;

/// <summary>Configuration section "Engagement:Sms".</summary>
public sealed class SmsOptions
{
    /// <summary><c>sandbox</c> (the default: nothing leaves, what would have been sent is listed in the console) or <c>http</c>.</summary>
    [RegularExpression("^(sandbox|http)$")]
    public string Provider { get; set; } = SandboxSmsProvider.Name;
    /// <summary>The http provider's endpoint: each SMS is POSTed as JSON <c>{id, to, text}</c>, signed in the header Sms-Signature.</summary>
    public Uri? Url { get; set; }
    /// <summary>Signs what is sent to the provider, and checks its delivery receipts (<c>POST /api/v1/webhooks/sms/receipt</c>).</summary>
    [MinLength(16)]
    public string? Secret { get; set; }
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(30);
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;
    /// <summary>Off in tests that step the delivery themselves.</summary>
    public bool DeliveryEnabled { get; set; } = true;
}

/// <summary>One SMS for the provider; <see cref="Id"/> is the message's, so the provider can drop a repeat after a lost answer.</summary>
public sealed record SmsToSend(Guid Id, string To, string Text);

/// <summary>The provider's answer: accepted (with its own id for the receipts), or not and why.</summary>
public sealed record SmsSendResult(bool Accepted, string? ProviderMessageId, string? Error);

/// <summary>An SMS provider (plugin, chosen by <see cref="SmsOptions.Provider"/>).</summary>
public interface ISmsProvider
{
    Task<SmsSendResult> SendAsync(SmsToSend sms, CancellationToken ct);
}

/// <summary>What the sandbox provider "sent": nothing leaves the building, staff read it at /console/engagement/sms.</summary>
public sealed class SandboxSms
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MessageId { get; set; }
    public string To { get; set; } = "";
    public string Text { get; set; } = "";
    public string Reference { get; set; } = "";
    public DateTime SentAt { get; set; }
}

/// <summary>The default provider: stores the SMS, as the mail outbox stores mail when no relay is configured.</summary>
public sealed class SandboxSmsProvider(IServiceScopeFactory scopes, TimeProvider clock) : ISmsProvider
{
    public const string Name = "sandbox";

    public async Task<SmsSendResult> SendAsync(SmsToSend sms, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var reference = "sandbox-" + sms.Id.ToString("N");
        // A repeat after a lost answer is recognised by the message id, as a real provider would.
        if (!db.SandboxSms.Any(s => s.MessageId == sms.Id))
        {
            db.SandboxSms.Add(new SandboxSms { MessageId = sms.Id, To = sms.To, Text = sms.Text, Reference = reference, SentAt = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(ct);
        }
        return new SmsSendResult(true, reference, null);
    }
}

/// <summary>A provider's HTTP API (or a bridge to one): POST JSON, signed like every Centric webhook; the answer's <c>id</c> names the message in receipts.</summary>
public sealed class HttpSmsProvider(IHttpClientFactory http, IOptions<SmsOptions> options, TimeProvider clock) : ISmsProvider
{
    public const string Name = "http";
    public const string SignatureHeader = "Sms-Signature";

    public async Task<SmsSendResult> SendAsync(SmsToSend sms, CancellationToken ct)
    {
        var o = options.Value;
        var body = JsonSerializer.Serialize(new { id = sms.Id, to = sms.To, text = sms.Text }, JsonSerializerOptions.Web);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, o.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (o.Secret is { } secret) request.Headers.Add(SignatureHeader, HmacSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(o.RequestTimeout);
            using var response = await http.CreateClient(Name).SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode) return new SmsSendResult(false, null, $"HTTP {(int)response.StatusCode}");
            string? id = null;
            try { id = (await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).TryGetProperty("id", out var v) ? v.ToString() : null; }
            catch (JsonException) { /* an answer without an id: receipts then name our id */ }
            return new SmsSendResult(true, id is { Length: > 0 and <= 200 } ? id : sms.Id.ToString(), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new SmsSendResult(false, null, e.Message.Length > 300 ? e.Message[..300] : e.Message);
        }
    }
}
