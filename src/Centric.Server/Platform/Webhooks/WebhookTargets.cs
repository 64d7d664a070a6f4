using System.Net;
using System.Net.Sockets;
using Centric.Server.Platform.Errors;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Webhooks;

/// <summary>
/// Where webhooks may be sent. A subscription must not turn the server into a way into its own network (the cloud metadata
/// service at 169.254.169.254, an admin port on localhost, a database on 10.x), so loopback, private, link-local and other
/// non-public addresses are refused when the URL is given and again when a delivery connects, after DNS resolution (a name
/// can be pointed somewhere else later). <see cref="WebhookOptions.AllowPrivateNetworks"/> lifts this for receivers on an
/// internal network.
/// </summary>
public static class WebhookTargets
{
    private static readonly IPNetwork[] NonPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/127"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return !NonPublic.Any(n => n.Contains(address));
    }

    /// <summary>Refuses a subscription URL whose host is, or resolves to, a non-public address (unless allowed). An unresolvable name is checked at delivery.</summary>
    public static async Task CheckAsync(Uri url, WebhookOptions options, CancellationToken ct)
    {
        if (options.AllowPrivateNetworks) return;
        IPAddress[] addresses;
        if (IPAddress.TryParse(url.IdnHost, out var literal)) addresses = [literal];
        else if (url.IsLoopback) addresses = [IPAddress.Loopback];
        else
        {
            try { addresses = await Dns.GetHostAddressesAsync(url.IdnHost, ct); }
            catch (SocketException) { return; }
        }
        if (addresses.Any(a => !IsPublic(a)))
            throw RequestValidationException.For("url", "Webhooks may not point at loopback, private or link-local addresses (Webhooks:AllowPrivateNetworks allows them).");
    }

    /// <summary>The delivery client's connect step: resolves the host and connects only to public addresses (unless allowed).</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(IOptionsMonitor<WebhookOptions> options) =>
        async (context, ct) =>
        {
            var endpoint = context.DnsEndPoint;
            var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
            var allowed = options.CurrentValue.AllowPrivateNetworks ? addresses : addresses.Where(IsPublic).ToArray();
            if (allowed.Length == 0)
                throw new HttpRequestException($"Refused to connect to {endpoint.Host}: it resolves to a loopback, private or link-local address.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, endpoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}
