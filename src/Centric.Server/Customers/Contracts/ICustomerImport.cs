using Centric.Server.Platform.Http;
using Centric.Server.Platform.Import;

namespace Centric.Server.Customers.Contracts;

/// <summary>A customer as an imported file names them: the business's own id for them and/or an email (normalised).</summary>
public sealed record ImportedCustomer(string? ExternalId, string? Email)
{
    /// <summary>What the file knows them by: their external id when it has one, else their email.</summary>
    public string Key => ExternalId is not null ? IdentityKinds.External + ":" + ExternalId : IdentityKinds.Email + ":" + Email;

    /// <summary>An import row's customer (columns customer_id and email), or why the row names nobody usable.</summary>
    public static (ImportedCustomer? Customer, string? Problem) Read(ImportRow row)
    {
        var externalId = row["customer_id"] is { Length: > 0 } id ? id : null;
        if (externalId is { Length: > 300 }) return (null, "customer_id is longer than 300 characters");
        string? email = null;
        if (row["email"] is { Length: > 0 } raw && (email = ContactAddress.NormaliseEmail(raw)) is null) return (null, $"email '{raw}' is not an email address");
        return externalId is null && email is null ? (null, "customer_id or email is required") : (new ImportedCustomer(externalId, email), null);
    }
}

/// <summary>
/// Identity resolution for imports, many customers at a time: the live profile holding the external id, else the one holding
/// the email (which then also gets the external id), else a new known profile with both. New rows are written at once inside
/// the caller's open transaction (they commit or roll back with it).
/// </summary>
public interface ICustomerImport
{
    /// <summary>The profile of each customer, by <see cref="ImportedCustomer.Key"/>.</summary>
    Task<IReadOnlyDictionary<string, Guid>> ResolveAsync(IReadOnlyCollection<ImportedCustomer> customers, CancellationToken ct);

    /// <summary>The profiles that already hold these customers' identities (for a dry run: nothing is created).</summary>
    Task<IReadOnlyDictionary<string, Guid>> FindAsync(IReadOnlyCollection<ImportedCustomer> customers, CancellationToken ct);
}
