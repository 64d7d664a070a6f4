using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Centric.Server.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port: it keeps what it accepts, says whether the session was
/// encrypted, and answers each DATA with <see cref="Answer"/> (by the number of the delivery, from 1), so a test makes it refuse.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public sealed record Received(MimeMessage Message, bool Encrypted);

    public ConcurrentQueue<Received> Messages { get; } = new();
    public Func<int, SmtpResponse> Answer { get; set; } = _ => SmtpResponse.Ok;
    public int Port { get; }
    private int _deliveries;

    public TestSmtpServer(int port, X509Certificate2? certificate = null, bool ssl = false)
    {
        Port = port;
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(b =>
        {
            b.Endpoint(new IPEndPoint(IPAddress.Loopback, port)).IsSecure(ssl).AllowUnsecureAuthentication();
            if (certificate is not null) b.Certificate(certificate);
        }).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A self-signed certificate for "localhost", with its private key, made for this test run.</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _running; }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private sealed class Store(TestSmtpServer server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var answer = server.Answer(Interlocked.Increment(ref server._deliveries));
            if (answer.ReplyCode != SmtpReplyCode.Ok) return answer;
            await using var stream = new MemoryStream(buffer.ToArray());
            server.Messages.Enqueue(new Received(await MimeMessage.LoadAsync(stream, cancellationToken), context.Pipe.IsSecure));
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>A port that accepts a connection and drops it at once: a relay that falls over.</summary>
public sealed class DroppingListener : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    public DroppingListener(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try { (await _listener.AcceptTcpClientAsync(_stop.Token)).Dispose(); }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            }
        });
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Dispose();
        _stop.Dispose();
    }
}
