using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Consent;

/// <summary>The answer for one channel and purpose; <see cref="Explicit"/> when the customer (or someone for them) gave it, else the default.</summary>
public sealed record ConsentPreference(string Channel, string Purpose, bool Granted, bool Explicit, DateTime? UpdatedAt, string? Source);

public sealed class ConsentService(CentricDbContext db, InteractionLog interactions, TimeProvider clock) : IConsent
{
    public Task<bool> MayContactAsync(Guid profileId, string channel, string purpose, CancellationToken ct) =>
        MayContactAsync(db, profileId, channel, purpose, ct);

    /// <summary>The same answer read through a given DbContext (<see cref="ProfileTraits.MayContactAsync"/>).</summary>
    internal static async Task<bool> MayContactAsync(CentricDbContext db, Guid profileId, string channel, string purpose, CancellationToken ct)
    {
        // The profile's state and its answer for this channel and purpose in one read.
        var profile = await db.Profiles.AsNoTracking().Where(p => p.Id == profileId)
            .Select(p => new
            {
                p.MergedIntoId, p.ErasedAt,
                Granted = db.Consents.Where(c => c.ProfileId == p.Id && c.Channel == channel && c.Purpose == purpose).Select(c => (bool?)c.Granted).FirstOrDefault(),
            }).FirstOrDefaultAsync(ct);
        if (profile is null || profile.ErasedAt is not null) return false;
        if (profile.MergedIntoId is { } survivor) return await MayContactAsync(db, survivor, channel, purpose, ct);
        return profile.Granted ?? purpose == ConsentPurposes.Service;
    }

    public async Task<bool> WithdrawAsync(Guid profileId, string channel, string purpose, string source, CancellationToken ct)
    {
        var state = await db.Consents.FindAsync([profileId, channel, purpose], ct);
        if (state is { Granted: false }) return false;
        await RecordAsync(profileId, channel, purpose, false, source, changedBy: null, ct);
        return true;
    }

    /// <summary>
    /// Every channel and purpose with the answer that applies now: the customer's own where they gave one (<see cref="ConsentPreference.Explicit"/>),
    /// else the default (service messages allowed, marketing not).
    /// </summary>
    public async Task<List<ConsentPreference>> PreferencesAsync(Guid profileId, CancellationToken ct)
    {
        var states = await db.Consents.AsNoTracking().Where(c => c.ProfileId == profileId).ToListAsync(ct);
        return [.. from channel in ConsentChannels.All
                   from purpose in ConsentPurposes.All
                   let state = states.FirstOrDefault(s => s.Channel == channel && s.Purpose == purpose)
                   select new ConsentPreference(channel, purpose, state?.Granted ?? purpose == ConsentPurposes.Service, state is not null, state?.UpdatedAt, state?.Source)];
    }

    /// <summary>Records a consent answer and its history row in the caller's unit of work.</summary>
    public async Task RecordAsync(Guid profileId, string channel, string purpose, bool granted, string source, string? changedBy,
        CancellationToken ct, bool writeInteraction = true)
    {
        if (!ConsentChannels.All.Contains(channel)) throw new ArgumentOutOfRangeException(nameof(channel), channel, "unknown channel");
        if (!ConsentPurposes.All.Contains(purpose)) throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "unknown purpose");
        var now = clock.GetUtcNow().UtcDateTime;
        var state = await db.Consents.FindAsync([profileId, channel, purpose], ct);
        if (state is null)
            db.Consents.Add(new ConsentState { ProfileId = profileId, Channel = channel, Purpose = purpose, Granted = granted, UpdatedAt = now, Source = source });
        else
            (state.Granted, state.UpdatedAt, state.Source) = (granted, now, source);
        db.ConsentChanges.Add(new ConsentChange
        {
            ProfileId = profileId, Channel = channel, Purpose = purpose, Granted = granted, At = now, Source = source, ChangedBy = changedBy,
        });
        if (writeInteraction)
            interactions.Append(db, profileId, InteractionTypes.ConsentChanged, channel, new ConsentChangedProperties(channel, purpose, granted, source));
    }
}
