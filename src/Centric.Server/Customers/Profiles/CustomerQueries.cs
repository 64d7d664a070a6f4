using System.Globalization;
using System.Text.Json;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Profiles;

public sealed record CustomerSummary(Guid Id, string Kind, string DisplayName, string? Email, string? Phone,
    DateTime? FirstSeenAt, DateTime? LastSeenAt, long InteractionCount, bool Erased);

public sealed record CustomerPage(IReadOnlyList<CustomerSummary> Items, int Page, int PageSize, bool HasMore);

public sealed record TimelineEntry(Guid Id, string EventId, string Type, string Channel, DateTime OccurredAt, JsonElement Properties,
    string? SourceKind, string? SourceId);

public sealed record TimelinePage(IReadOnlyList<TimelineEntry> Items, string? Next);

/// <summary>Read side of the Customers module: search, the 360 view and the timeline. Shared by API and console.</summary>
public sealed class CustomerQueries(CentricDbContext db, ProfileDirectory directory)
{
    public const int MaxPageSize = 100;

    public async Task<CustomerPage> SearchAsync(string? email, string? phone, string? q, int page, int pageSize, CancellationToken ct, string? externalId = null)
    {
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 1);
        var query = db.Profiles.AsNoTracking().Where(p => p.MergedIntoId == null);
        if (!string.IsNullOrWhiteSpace(email))
        {
            var normal = ContactAddress.NormaliseEmail(email) ?? email.Trim().ToLowerInvariant();
            var key = ProfileIdentity.KeyOf(IdentityKinds.Email, normal);
            query = query.Where(p => db.Identities.Any(i => i.ProfileId == p.Id && i.Key == key));
        }
        if (!string.IsNullOrWhiteSpace(phone))
        {
            var normal = ContactAddress.NormalisePhone(phone) ?? phone.Trim();
            var key = ProfileIdentity.KeyOf(IdentityKinds.Phone, normal);
            query = query.Where(p => db.Identities.Any(i => i.ProfileId == p.Id && i.Key == key));
        }
        if (!string.IsNullOrWhiteSpace(externalId))
        {
            // Your own id for the customer (an imported customer_id, an event's externalId), exactly as given.
            var key = ProfileIdentity.KeyOf(IdentityKinds.External, externalId.Trim());
            query = query.Where(p => db.Identities.Any(i => i.ProfileId == p.Id && i.Key == key));
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            var term = q.Trim().ToLowerInvariant();
            // Phone numbers are stored in E.164; let people type them with spaces or dashes.
            var phoneTerm = ContactAddress.NormalisePhone(q);
            query = query.Where(p => p.SearchText.Contains(term) || (phoneTerm != null && p.SearchText.Contains(phoneTerm)));
        }
        var rows = await query
            .OrderByDescending(p => p.LastSeenAt).ThenBy(p => p.Id)
            .Skip((page - 1) * pageSize).Take(pageSize + 1)
            .ToListAsync(ct);
        var items = rows.Take(pageSize).Select(Summary).ToList();
        return new CustomerPage(items, page, pageSize, rows.Count > pageSize);
    }

    /// <summary>The ids of live profiles whose name, email or phone contains <paramref name="q"/>, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Guid>> MatchingIdsAsync(string q, int limit, CancellationToken ct)
    {
        var term = q.Trim().ToLowerInvariant();
        var phoneTerm = ContactAddress.NormalisePhone(q);
        return await db.Profiles.AsNoTracking().Where(p => p.MergedIntoId == null)
            .Where(p => p.SearchText.Contains(term) || (phoneTerm != null && p.SearchText.Contains(phoneTerm)))
            .OrderByDescending(p => p.LastSeenAt).Take(limit).Select(p => p.Id).ToListAsync(ct);
    }

    /// <summary>These live profiles' summaries, in the order given.</summary>
    public async Task<IReadOnlyList<CustomerSummary>> SummariesAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var found = (await db.Profiles.AsNoTracking().Where(p => ids.Contains(p.Id) && p.MergedIntoId == null).ToListAsync(ct)).ToDictionary(p => p.Id);
        return ids.Where(found.ContainsKey).Select(id => Summary(found[id])).ToList();
    }

    public static CustomerSummary Summary(CustomerProfile p) =>
        new(p.Id, p.Kind.ToString().ToLowerInvariant(), p.DisplayName, p.Email, p.Phone, p.FirstSeenAt, p.LastSeenAt, p.InteractionCount, p.ErasedAt is not null);

    /// <summary>Display names for a list of profiles (other modules' lists show who a row belongs to).</summary>
    public async Task<Dictionary<Guid, string>> NamesAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        var found = await db.Profiles.AsNoTracking().Where(p => wanted.Contains(p.Id)).ToListAsync(ct);
        return found.ToDictionary(p => p.Id, p => p.DisplayName);
    }

    public async Task<CustomerDetail?> DetailAsync(Guid id, CancellationToken ct)
    {
        var p = await directory.FindAsync(id, ct);
        if (p is null) return null;
        var identities = await db.Identities.AsNoTracking().Where(i => i.ProfileId == p.Id).OrderBy(i => i.CreatedAt)
            .Select(i => new IdentityView(i.Kind, i.Value, i.Verified, i.CreatedAt)).ToListAsync(ct);
        var states = await db.Consents.AsNoTracking().Where(c => c.ProfileId == p.Id).ToListAsync(ct);
        var consent = (from channel in ConsentChannels.All
                       from purpose in ConsentPurposes.All
                       let s = states.FirstOrDefault(x => x.Channel == channel && x.Purpose == purpose)
                       select new ConsentView(channel, purpose, s?.Granted ?? purpose == ConsentPurposes.Service, s is not null, s?.UpdatedAt, s?.Source))
                      .ToList();
        var history = await db.ConsentChanges.AsNoTracking().Where(c => c.ProfileId == p.Id).OrderByDescending(c => c.At)
            .Select(c => new ConsentChangeView(c.Channel, c.Purpose, c.Granted, c.At, c.Source, c.ChangedBy)).ToListAsync(ct);
        var byType = await db.Interactions.AsNoTracking().Where(i => i.ProfileId == p.Id).GroupBy(i => i.Type)
            .Select(g => new CountView(g.Key, g.LongCount())).ToListAsync(ct);
        var byChannel = await db.Interactions.AsNoTracking().Where(i => i.ProfileId == p.Id).GroupBy(i => i.Channel)
            .Select(g => new CountView(g.Key, g.LongCount())).ToListAsync(ct);
        var merged = await db.Profiles.AsNoTracking().Where(x => x.MergedIntoId == p.Id).Select(x => x.Id).ToListAsync(ct);
        using var traits = JsonDocument.Parse(p.Traits);
        return new CustomerDetail(p.Id, p.Kind.ToString().ToLowerInvariant(), p.DisplayName, p.FirstName, p.LastName, p.Email, p.Phone,
            traits.RootElement.Clone(), p.CreatedAt, p.FirstSeenAt, p.LastSeenAt, p.InteractionCount, p.ErasedAt,
            identities, consent, history,
            [.. byType.OrderByDescending(c => c.Count)], [.. byChannel.OrderByDescending(c => c.Count)], merged);
    }

    /// <summary>
    /// Newest first. <paramref name="before"/> is the cursor from the previous page ("ticks.id"), or an ISO timestamp.
    /// </summary>
    public async Task<TimelinePage> TimelineAsync(Guid profileId, string? before, int limit, string? type, string? channel, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, 200);
        var query = db.Interactions.AsNoTracking().Where(i => i.ProfileId == profileId);
        if (!string.IsNullOrWhiteSpace(type))
        {
            var types = type.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            query = query.Where(i => types.Contains(i.Type));
        }
        if (!string.IsNullOrWhiteSpace(channel)) query = query.Where(i => i.Channel == channel);
        if (Cursor.TryParse(before, out var at, out var afterId))
        {
            query = afterId is { } id
                ? query.Where(i => i.OccurredAt < at || (i.OccurredAt == at && i.Id.CompareTo(id) < 0))
                : query.Where(i => i.OccurredAt < at);
        }
        var rows = await query.OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(limit + 1).ToListAsync(ct);
        var items = rows.Take(limit).Select(Entry).ToList();
        var next = rows.Count > limit ? Cursor.Format(rows[limit - 1]) : null;
        return new TimelinePage(items, next);
    }

    /// <summary>The subjects of the profile's tickets with these numbers, from their ticket_created entries (the timeline's own record).</summary>
    public async Task<Dictionary<string, string>> TicketSubjectsAsync(Guid profileId, IEnumerable<string> numbers, CancellationToken ct)
    {
        var wanted = numbers.ToHashSet(StringComparer.Ordinal);
        var subjects = new Dictionary<string, string>(StringComparer.Ordinal);
        if (wanted.Count == 0) return subjects;
        var created = InteractionTypes.TicketCreated.Name;
        var rows = await db.Interactions.AsNoTracking().Where(i => i.ProfileId == profileId && i.Type == created)
            .Select(i => i.Properties).ToListAsync(ct);
        foreach (var json in rows)
        {
            if (InteractionTypes.TicketCreated.Read(json) is { TicketNumber: { } number, Subject: { Length: > 0 } subject } && wanted.Contains(number))
                subjects[number] = subject;
        }
        return subjects;
    }

    public static TimelineEntry Entry(Interaction i)
    {
        using var doc = JsonDocument.Parse(i.Properties);
        return new TimelineEntry(i.Id, i.EventId, i.Type, i.Channel, i.OccurredAt, doc.RootElement.Clone(), i.SourceKind, i.SourceId);
    }

    /// <summary>Keyset cursor: occurred-at ticks and the id of the last entry shown, so equal timestamps never skip rows.</summary>
    public static class Cursor
    {
        public static string Format(Interaction i) => i.OccurredAt.Ticks.ToString(CultureInfo.InvariantCulture) + "." + i.Id.ToString("N");

        public static bool TryParse(string? value, out DateTime at, out Guid? id)
        {
            at = default;
            id = null;
            if (string.IsNullOrWhiteSpace(value)) return false;
            var dot = value.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && long.TryParse(value.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks > 0 && ticks < DateTime.MaxValue.Ticks && Guid.TryParseExact(value[(dot + 1)..], "N", out var g))
            {
                at = new DateTime(ticks, DateTimeKind.Utc);
                id = g;
                return true;
            }
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts))
            {
                at = ts.UtcDateTime;
                return true;
            }
            throw Platform.Errors.RequestValidationException.For("before", "Must be a cursor from a previous page or an ISO 8601 timestamp.");
        }
    }
}
