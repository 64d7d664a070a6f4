using System.ComponentModel.DataAnnotations;

namespace Centric.Server.Engagement.Push;

/// <summary>Configuration section "Engagement:Push".</summary>
public sealed class PushOptions
{
    /// <summary>
    /// The VAPID public key (base64url, an uncompressed P-256 point of 65 bytes). With <see cref="PrivateKey"/>; when both are
    /// unset a pair is generated once and kept in the database.
    /// </summary>
    [MaxLength(200)]
    public string? PublicKey { get; set; }
    /// <summary>The VAPID private key (base64url, 32 bytes). A secret: an environment variable or a secret store, never the repository.</summary>
    [MaxLength(200)]
    public string? PrivateKey { get; set; }
    /// <summary>How push services reach the sender about its messages: <c>mailto:</c> an address, or an <c>https:</c> page. Unset: the
    /// public address when it is https, else mailto:webmaster@localhost.</summary>
    [MaxLength(300)]
    public string? Subject { get; set; }
    /// <summary>How long a push service keeps a message for a device that is offline.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "28.00:00:00")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(1);
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(30);
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;
    /// <summary>Off in tests that step the delivery themselves.</summary>
    public bool DeliveryEnabled { get; set; } = true;

    public bool KeysConfigured => !string.IsNullOrWhiteSpace(PublicKey) || !string.IsNullOrWhiteSpace(PrivateKey);
}
