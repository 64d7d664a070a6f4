using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Centric.Testing;

/// <summary>A browser's push subscription the test made: where its push service takes messages and the keys it hands out.</summary>
internal sealed record TestDevice(string Id, string Endpoint, string P256dh, string Auth);

/// <summary>
/// One message the push service took (or refused): the status it answered, the payload as the browser would decrypt it (null
/// when it could not be decrypted, with the reason in <see cref="Problem"/>), and the request's headers of note.
/// </summary>
internal sealed record ReceivedPush(string DeviceId, int Answered, string? Payload, string? Problem, string? Topic, string? Ttl, string? Subject)
{
    public JsonElement Json => JsonDocument.Parse(Payload ?? "{}").RootElement;
}

/// <summary>
/// A push service on loopback, standing in for the browser's (Google's, Mozilla's…), with the browser's side of the encryption:
/// each device it makes has its own P-256 key pair and authentication secret, as a browser's subscription does. For every
/// message it checks the VAPID Authorization header (RFC 8292: an ES256 JWT for this origin, signed by the key it names, which
/// must be the one the test expects) and decrypts the aes128gcm body (RFC 8291, RFC 8188) written out here independently of
/// the server's library. Answers are scripted per device (201 when nothing is scripted).
/// </summary>
internal sealed class PushReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (ECDiffieHellman Key, byte[] Public, byte[] Auth)> _devices = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripts = new();

    public ConcurrentQueue<ReceivedPush> Received { get; } = new();
    public string Root { get; }
    /// <summary>The VAPID public key (base64url) the server must sign with; until set, any valid signature is accepted.</summary>
    public string? ExpectedVapidKey { get; set; }

    private PushReceiver(WebApplication app, string root) => (_app, Root) = (app, root);

    public static async Task<PushReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        PushReceiver? receiver = null;
        app.MapPost("/push/{device}", async (string device, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            return receiver!.Take(device, request, body.ToArray());
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new PushReceiver(app, address);
        return receiver;
    }

    /// <summary>A new subscription, as <c>pushManager.subscribe()</c> would give it.</summary>
    public TestDevice NewDevice()
    {
        var id = Guid.NewGuid().ToString("N");
        var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = key.ExportParameters(false).Q;
        byte[] publicKey = [0x04, .. q.X!, .. q.Y!];
        var auth = RandomNumberGenerator.GetBytes(16);
        _devices[id] = (key, publicKey, auth);
        return new TestDevice(id, $"{Root}/push/{id}", WebEncoders.Base64UrlEncode(publicKey), WebEncoders.Base64UrlEncode(auth));
    }

    /// <summary>The next answers for this device's messages, in order (then 201).</summary>
    public void Answer(TestDevice device, params int[] statuses)
    {
        var script = _scripts.GetOrAdd(device.Id, _ => new ConcurrentQueue<int>());
        foreach (var s in statuses) script.Enqueue(s);
    }

    public IReadOnlyList<ReceivedPush> For(TestDevice device) => [.. Received.Where(r => r.DeviceId == device.Id)];

    private IResult Take(string device, HttpRequest request, byte[] body)
    {
        var topic = request.Headers["Topic"].FirstOrDefault();
        var ttl = request.Headers["TTL"].FirstOrDefault();
        if (!_devices.TryGetValue(device, out var keys))
        {
            Received.Enqueue(new ReceivedPush(device, 410, null, "no such subscription", topic, ttl, null));
            return Results.StatusCode(410);
        }
        string? payload = null, problem = null, subject = null;
        try
        {
            subject = CheckVapid(request.Headers.Authorization.ToString(), request.Scheme, request.Host);
            if (request.Headers.ContentEncoding.ToString() != "aes128gcm") throw new InvalidDataException("Content-Encoding is not aes128gcm");
            payload = Decrypt(body, keys.Key, keys.Public, keys.Auth);
        }
        catch (Exception e) when (e is InvalidDataException or CryptographicException or FormatException or JsonException or KeyNotFoundException)
        {
            problem = e.Message;
        }
        var status = problem is not null ? 400 : _scripts.TryGetValue(device, out var script) && script.TryDequeue(out var s) ? s : 201;
        Received.Enqueue(new ReceivedPush(device, status, payload, problem, topic, ttl, subject));
        return Results.StatusCode(status);
    }

    /// <summary>RFC 8292: <c>vapid t=&lt;JWT&gt;, k=&lt;public key&gt;</c>; the JWT is ES256 over header.claims, for this origin, not expired. Returns its subject.</summary>
    private string CheckVapid(string header, string scheme, HostString host)
    {
        if (!header.StartsWith("vapid ", StringComparison.Ordinal)) throw new InvalidDataException("no vapid Authorization header");
        var parts = header["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var (token, k) = (parts["t"], parts["k"]);
        if (ExpectedVapidKey is { } expected && k != expected) throw new InvalidDataException("signed with another key than the server's public key");
        var jwt = token.Split('.');
        if (jwt.Length != 3) throw new InvalidDataException("the token is not a JWT");
        var head = JsonDocument.Parse(WebEncoders.Base64UrlDecode(jwt[0])).RootElement;
        if (head.GetProperty("alg").GetString() != "ES256") throw new InvalidDataException("the JWT is not ES256");
        var point = WebEncoders.Base64UrlDecode(k);
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        if (!verifier.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), WebEncoders.Base64UrlDecode(jwt[2]), HashAlgorithmName.SHA256))
            throw new InvalidDataException("the JWT's signature does not verify");
        var claims = JsonDocument.Parse(WebEncoders.Base64UrlDecode(jwt[1])).RootElement;
        // The audience is this push service's origin. The server's library leaves the port out, which for a real push service
        // (on 443) is the same origin; here the port is the test's, so the origin without it is accepted too.
        var audience = claims.GetProperty("aud").GetString();
        if (audience != $"{scheme}://{host}" && audience != $"{scheme}://{host.Host}") throw new InvalidDataException($"the JWT is for {audience}, not {scheme}://{host}");
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64());
        if (expires < DateTimeOffset.UtcNow || expires > DateTimeOffset.UtcNow.AddHours(24).AddMinutes(5)) throw new InvalidDataException("the JWT's expiry is not within 24 hours");
        var subject = claims.GetProperty("sub").GetString() ?? "";
        if (!subject.StartsWith("mailto:", StringComparison.Ordinal) && !subject.StartsWith("https:", StringComparison.Ordinal)) throw new InvalidDataException("the JWT's subject is no contact");
        return subject;
    }

    /// <summary>
    /// RFC 8291 with RFC 8188's aes128gcm: the body is salt (16) | record size (4) | key id length (1) | the sender's public key
    /// (65) | one record. The content key and nonce come from HKDF over the ECDH secret and the authentication secret.
    /// </summary>
    private static string Decrypt(byte[] body, ECDiffieHellman device, byte[] devicePublic, byte[] auth)
    {
        if (body.Length < 21 + 65 + 17) throw new InvalidDataException("the body is too short");
        var salt = body[..16];
        var recordSize = (body[16] << 24) | (body[17] << 16) | (body[18] << 8) | body[19];
        if (body[20] != 65) throw new InvalidDataException("the key id is not a P-256 public key");
        var senderPublic = body[21..86];
        var record = body[86..];
        if (record.Length > recordSize) throw new InvalidDataException("more than one record");

        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..] },
        });
        var shared = device.DeriveRawSecretAgreement(sender.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. devicePublic, .. senderPublic];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, auth, keyInfo);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var contentKey = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, "Content-Encoding: nonce\0"u8.ToArray());

        var plain = new byte[record.Length - 16];
        using (var aes = new AesGcm(contentKey, 16)) aes.Decrypt(nonce, record[..^16], record[^16..], plain);
        // The last record's data ends with the delimiter 2, then any padding of zeros.
        var end = plain.Length - 1;
        while (end >= 0 && plain[end] == 0) end--;
        if (end < 0 || plain[end] != 2) throw new InvalidDataException("no last-record delimiter");
        return Encoding.UTF8.GetString(plain, 0, end);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        foreach (var (key, _, _) in _devices.Values) key.Dispose();
    }
}
