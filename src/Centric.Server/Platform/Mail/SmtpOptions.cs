using System.ComponentModel.DataAnnotations;

namespace Centric.Server.Platform.Mail;

/// <summary>
/// Configuration section "Mail:Smtp". Without <see cref="Host"/> mail stays in the local outbox (the embedded default); with it,
/// every message written from then on is sent through this relay.
/// </summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    [Range(1, 65535)]
    public int Port { get; set; } = 587;
    /// <summary><c>starttls</c> (upgrade a plain connection, port 587; required), <c>ssl</c> (TLS from the start, port 465), <c>none</c> (a relay on the same host).</summary>
    [RegularExpression("^(starttls|ssl|none)$")]
    public string Security { get; set; } = "starttls";
    public string? User { get; set; }
    public string? Password { get; set; }
    /// <summary>The sender, e.g. <c>Centric Shop &lt;news@shop.example&gt;</c>; its domain also names the Message-Ids.</summary>
    public string From { get; set; } = "Centric <no-reply@centric.local>";
    /// <summary>
    /// A relay whose certificate no authority vouches for (a self-signed one inside your network) is accepted when its SHA-256
    /// thumbprint (hex) is this. Leave empty to accept only certificates the system trusts.
    /// </summary>
    public string? CertificateThumbprint { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;
    /// <summary>Off in tests that step the delivery themselves.</summary>
    public bool DeliveryEnabled { get; set; } = true;

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}
