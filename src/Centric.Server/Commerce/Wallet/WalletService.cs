using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Payments;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Commerce.Wallet;

/// <summary>A card saved at the gateway: Centric holds the token, brand and last four digits only.</summary>
public sealed class SavedCard
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    public required string Token { get; set; }
    public required string Brand { get; set; }
    public required string Last4 { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class SavedAddress
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    public required string Name { get; set; }
    public required string Line1 { get; set; }
    public string? Line2 { get; set; }
    public required string City { get; set; }
    public required string PostalCode { get; set; }
    public required string Country { get; set; }
    public bool IsDefault { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The customer's saved cards and addresses; every lookup is scoped to the owner's profile.</summary>
public sealed class WalletService(CentricDbContext db, [FromKeyedServices(SandboxGateway.Name)] IPaymentGateway gateway,
    IOptions<CommerceOptions> options, TimeProvider clock)
{
    public Task<List<SavedCard>> CardsAsync(Guid profileId, CancellationToken ct) =>
        db.Set<SavedCard>().AsNoTracking().Where(c => c.ProfileId == profileId).OrderBy(c => c.CreatedAt).ToListAsync(ct);

    public Task<List<SavedAddress>> AddressesAsync(Guid profileId, CancellationToken ct) =>
        db.Set<SavedAddress>().AsNoTracking().Where(a => a.ProfileId == profileId).OrderByDescending(a => a.IsDefault).ThenBy(a => a.CreatedAt).ToListAsync(ct);

    public async Task<SavedCard> AddCardAsync(Guid profileId, string cardNumber, CancellationToken ct)
    {
        var saved = await gateway.TokenizeAsync(cardNumber, ct);
        var card = new SavedCard { ProfileId = profileId, Token = saved.Token, Brand = saved.Brand, Last4 = saved.Last4, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.Add(card);
        await db.SaveChangesAsync(ct);
        return card;
    }

    /// <summary>The token of one of this customer's cards, or null: another customer's card id is simply unknown.</summary>
    public Task<string?> TokenAsync(Guid profileId, Guid cardId, CancellationToken ct) =>
        db.Set<SavedCard>().Where(c => c.Id == cardId && c.ProfileId == profileId).Select(c => c.Token).FirstOrDefaultAsync(ct);

    public async Task<bool> RemoveCardAsync(Guid profileId, Guid cardId, CancellationToken ct) =>
        await db.Set<SavedCard>().Where(c => c.Id == cardId && c.ProfileId == profileId).ExecuteDeleteAsync(ct) == 1;

    public async Task<SavedAddress> AddAddressAsync(Guid profileId, Address a, bool makeDefault, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(a.Name) || a.Name.Length > 100) errors["name"] = ["Enter a name."];
        if (string.IsNullOrWhiteSpace(a.Line1) || a.Line1.Length > 200) errors["line1"] = ["Enter the street and number."];
        if (string.IsNullOrWhiteSpace(a.City) || a.City.Length > 100) errors["city"] = ["Enter the town or city."];
        if (string.IsNullOrWhiteSpace(a.PostalCode) || a.PostalCode.Trim().Length is < 3 or > 10) errors["postalCode"] = ["Enter a valid postal code."];
        if (!options.Value.ShipToCountries.Contains(a.Country?.Trim().ToUpperInvariant())) errors["country"] = ["We do not deliver there."];
        if (errors.Count > 0) throw new RequestValidationException(errors.First().Value[0], errors);
        var isFirst = !await db.Set<SavedAddress>().AnyAsync(x => x.ProfileId == profileId, ct);
        if (makeDefault && !isFirst)
            await db.Set<SavedAddress>().Where(x => x.ProfileId == profileId).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsDefault, false), ct);
        var address = new SavedAddress
        {
            ProfileId = profileId, Name = a.Name!.Trim(), Line1 = a.Line1!.Trim(), Line2 = a.Line2?.Trim(), City = a.City!.Trim(),
            PostalCode = a.PostalCode!.Trim().ToUpperInvariant(), Country = a.Country!.Trim().ToUpperInvariant(), IsDefault = makeDefault || isFirst,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Add(address);
        await db.SaveChangesAsync(ct);
        return address;
    }

    public async Task<bool> RemoveAddressAsync(Guid profileId, Guid addressId, CancellationToken ct) =>
        await db.Set<SavedAddress>().Where(a => a.Id == addressId && a.ProfileId == profileId).ExecuteDeleteAsync(ct) == 1;
}
