using System.Security.Cryptography;
using System.Text;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Http;

/// <summary>
/// The first use of a client's <c>Idempotency-Key</c>: which request it was sent with. Only hashes are kept: the key with its
/// owner and operation (so two customers' keys never meet), and the request as the operation describes it.
/// </summary>
public sealed class IdempotencyRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>SHA-256 (hex) of owner, operation and the client's key. Unique.</summary>
    public required string KeyHash { get; set; }
    /// <summary>What the key was used for, e.g. "checkout" or "payment".</summary>
    public required string Operation { get; set; }
    /// <summary>SHA-256 (hex) of the request the key was first sent with.</summary>
    public required string RequestHash { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// <c>Idempotency-Key</c> for API calls that must happen once (placing an order, paying it). The operation itself is
/// idempotent by the key this hands it (an order or a payment is stored once per key, and the payment gateway is called
/// under the same key), so sending the same request again answers with the same order or payment. What this adds: the
/// key is tied to the request it was first sent with, and the same key with a different request is refused (422
/// <c>idempotency-key-reused</c>) instead of quietly answering for the first one. A request refused before anything
/// happened (invalid input, a business rule) leaves its key unused, so the corrected request may be sent under it.
/// </summary>
public sealed class IdempotencyKeys(CentricDbContext db, TimeProvider clock)
{
    public const string Header = "Idempotency-Key";
    public const int MaxLength = 255;
    /// <summary>How long a key is checked against its first request; after that the record goes (see OutboxPruner).</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(30);

    /// <summary>Runs <paramref name="work"/> with the key for this owner, operation and client key (48 hex characters).</summary>
    public async Task<T> RunAsync<T>(string owner, string operation, string? clientKey, string request, Func<string, Task<T>> work, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(clientKey))
            throw RequestValidationException.For(Header, $"Send an {Header} header: a value unique to this attempt (a UUID, say), the same when the request is sent again.");
        if (clientKey.Length > MaxLength || clientKey.Any(c => c is < '!' or > '~'))
            throw RequestValidationException.For(Header, $"At most {MaxLength} visible ASCII characters.");
        var keyHash = Hash(owner + "\n" + operation + "\n" + clientKey);
        var requestHash = Hash(request);
        var first = await ClaimAsync(keyHash, operation, requestHash, ct);
        try
        {
            return await work(keyHash[..48]);
        }
        catch (Exception e) when (first is { } id && e is RequestValidationException or DomainException)
        {
            // Not cancellable: a key left recorded for a refused request would refuse its corrected retry.
            await db.Set<IdempotencyRecord>().Where(r => r.Id == id).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>Records the key's first use (returning its id), or checks a repeat against it (returning null).</summary>
    private async Task<Guid?> ClaimAsync(string keyHash, string operation, string requestHash, CancellationToken ct)
    {
        var existing = await db.Set<IdempotencyRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.KeyHash == keyHash, ct);
        if (existing is null)
        {
            var record = new IdempotencyRecord { KeyHash = keyHash, Operation = operation, RequestHash = requestHash, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Add(record);
            try
            {
                await db.SaveChangesAsync(ct);
                return record.Id;
            }
            catch (DbUpdateException)
            {
                // The same key arrived twice at once and the other request recorded it first: check against that one.
                db.Entry(record).State = EntityState.Detached;
                existing = await db.Set<IdempotencyRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.KeyHash == keyHash, ct);
                if (existing is null) throw;
            }
        }
        if (existing.RequestHash != requestHash)
            throw new DomainException("idempotency-key-reused", $"This {Header} was already used with a different request; send a new key for a new request.", 422);
        return null;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
