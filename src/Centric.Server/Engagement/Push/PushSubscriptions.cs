using System.Net;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Push;

/// <summary>The browser's PushSubscription as its <c>toJSON()</c> gives it: the endpoint and the keys p256dh and auth.</summary>
public sealed record PushSubscriptionRequest(string? Endpoint, PushSubscriptionKeys? Keys, string? UserAgent = null);

public sealed record PushSubscriptionKeys(string? P256dh, string? Auth);

/// <summary>
/// One of the customer's devices: its endpoint (so a browser can tell which one it is), the push service's host, the browser,
/// when it was added and when a notification last reached it.
/// </summary>
public sealed record PushDeviceView(Guid Id, string Endpoint, string Service, string? UserAgent, DateTime CreatedAt, DateTime? LastSuccessAt);

/// <summary>
/// A customer's devices that take push notifications: added (or renewed: the same endpoint again) when the customer turns
/// notifications on in a browser, removed when they turn them off, remove a device, or the push service says it expired.
/// </summary>
public sealed class PushSubscriptions(CentricDbContext db, TimeProvider clock)
{
    public const int MaxEndpoint = 2000;
    public const int MaxUserAgent = 200;

    public async Task<IReadOnlyList<PushDeviceView>> ListAsync(Guid profileId, CancellationToken ct) =>
        [.. (await db.PushSubscriptions.AsNoTracking().Where(s => s.ProfileId == profileId).ToListAsync(ct))
            .OrderByDescending(s => s.CreatedAt).Select(View)];

    /// <summary>
    /// Keeps the browser's subscription for the customer. An endpoint already known is updated (new keys after the browser
    /// renewed it) and, if it was another customer's, becomes this one's: the device now belongs to whoever signed in on it.
    /// </summary>
    public async Task<PushDeviceView> SaveAsync(Guid profileId, PushSubscriptionRequest? request, CancellationToken ct) =>
        await SaveAsync(profileId, request, retry: true, ct);

    private async Task<PushDeviceView> SaveAsync(Guid profileId, PushSubscriptionRequest? request, bool retry, CancellationToken ct)
    {
        if (request is null) throw RequestValidationException.For("body", "Send the browser's PushSubscription as JSON: endpoint and keys (p256dh, auth).");
        var endpoint = ValidEndpoint(request.Endpoint);
        var p256dh = request.Keys?.P256dh?.Trim();
        if (!VapidKeys.IsPublicKey(p256dh)) throw RequestValidationException.For("keys.p256dh", "The browser's P-256 public key, base64url (65 bytes, an uncompressed point).");
        var auth = request.Keys?.Auth?.Trim();
        if (VapidKeys.Decode(auth) is not { Length: 16 }) throw RequestValidationException.For("keys.auth", "The browser's authentication secret, base64url (16 bytes).");
        var agent = ShortAgent(request.UserAgent);

        var row = await db.PushSubscriptions.FirstOrDefaultAsync(s => s.Endpoint == endpoint, ct);
        var isNew = row is null;
        if (row is null)
        {
            row = new PushSubscription { ProfileId = profileId, Endpoint = endpoint, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.PushSubscriptions.Add(row);
        }
        else if (row.ProfileId != profileId)
        {
            // Someone else signed in on this browser: it is theirs now, and what was queued for the previous owner stays unsent.
            await CancelQueuedAsync(row.Id, ct);
            (row.ProfileId, row.CreatedAt, row.LastSuccessAt) = (profileId, clock.GetUtcNow().UtcDateTime, null);
        }
        (row.P256dh, row.Auth, row.UserAgent) = (p256dh!, auth!, agent ?? row.UserAgent);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (isNew && retry)
        {
            // The same browser subscribed twice at once (two tabs): the other request stored it; this one updates it.
            db.ChangeTracker.Clear();
            return await SaveAsync(profileId, request, retry: false, ct);
        }
        return View(row);
    }

    /// <summary>Removes one of the customer's devices; false when they have none with that id (someone else's included).</summary>
    public async Task<bool> RemoveAsync(Guid profileId, Guid id, CancellationToken ct)
    {
        if (await db.PushSubscriptions.FirstOrDefaultAsync(s => s.Id == id && s.ProfileId == profileId, ct) is not { } row) return false;
        await CancelQueuedAsync(row.Id, ct);
        db.PushSubscriptions.Remove(row);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Removes the customer's device with this endpoint (turning notifications off in that browser); false when none.</summary>
    public async Task<bool> RemoveByEndpointAsync(Guid profileId, string? endpoint, CancellationToken ct)
    {
        var id = await db.PushSubscriptions.Where(s => s.ProfileId == profileId && s.Endpoint == (endpoint ?? "").Trim()).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        return id is { } found && await RemoveAsync(profileId, found, ct);
    }

    private Task<int> CancelQueuedAsync(Guid subscriptionId, CancellationToken ct) =>
        db.PushDeliveries.Where(d => d.SubscriptionId == subscriptionId && d.Status == PushDeliveryStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, PushDeliveryStatus.Cancelled), ct);

    /// <summary>
    /// An absolute https address (push services are on the web); plain http only to this machine (loopback), which is where
    /// a test's push service listens.
    /// </summary>
    private static string ValidEndpoint(string? endpoint)
    {
        var text = endpoint?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxEndpoint || !Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri))) || uri.UserInfo.Length > 0)
            throw RequestValidationException.For("endpoint", $"The push service's https address, at most {MaxEndpoint} characters.");
        return text;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));

    private static string? ShortAgent(string? agent)
    {
        var text = new string((agent ?? "").Where(c => !char.IsControl(c) && !char.IsSurrogate(c)).ToArray()).Trim();
        return text.Length == 0 ? null : text.Length <= MaxUserAgent ? text : text[..MaxUserAgent];
    }

    private static PushDeviceView View(PushSubscription s) =>
        new(s.Id, s.Endpoint, Uri.TryCreate(s.Endpoint, UriKind.Absolute, out var uri) ? uri.Host : "", s.UserAgent, s.CreatedAt, s.LastSuccessAt);
}

/// <summary>How a device is named to its owner: the browser and the system, from what the browser said about itself.</summary>
public static class DeviceNames
{
    public static string Of(string? userAgent)
    {
        var ua = userAgent ?? "";
        bool Has(string s) => ua.Contains(s, StringComparison.OrdinalIgnoreCase);
        var browser = Has("Edg/") ? "Edge" : Has("OPR/") ? "Opera" : Has("Firefox/") ? "Firefox" : Has("Chrome/") || Has("Chromium/") ? "Chrome"
            : Has("Safari/") ? "Safari" : null;
        var system = Has("Android") ? "Android" : Has("iPhone") || Has("iPad") ? "iOS" : Has("Windows") ? "Windows" : Has("Mac OS X") ? "macOS"
            : Has("CrOS") ? "ChromeOS" : Has("Linux") ? "Linux" : null;
        return (browser, system) switch
        {
            (null, null) => "A browser",
            ({ } b, null) => b,
            (null, { } s) => "A browser on " + s,
            ({ } b, { } s) => $"{b} on {s}",
        };
    }
}
