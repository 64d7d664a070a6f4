using System.Globalization;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Segments;

public sealed record SegmentSummary(Guid Id, string Name, string? Description, string Kind, int Members, bool TimeBased,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? EvaluatedAt);

public sealed record SegmentDetail(Guid Id, string Name, string? Description, string Kind, SegmentRule? Rule, int Members, bool TimeBased,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? EvaluatedAt, string? CreatedBy);

/// <summary>A new segment: a rule segment has <c>rule</c>; a static list has <c>kind: "static"</c> and gets its members from a CSV upload.</summary>
public sealed record NewSegment(string? Name, string? Description, string? Kind, SegmentRule? Rule);

public sealed record SegmentPreview(SegmentRule? Rule);

public sealed record SegmentCount(int Members);

public sealed record SegmentMemberRow(Guid ProfileId, string DisplayName, string? Email, DateTime EnteredAt);

public sealed record SegmentMemberPage(IReadOnlyList<SegmentMemberRow> Items, int Page, int PageSize, int Total, bool HasMore);

/// <summary>What a CSV upload did: members added, lines already in the list, and lines that named nobody (by line number, first 100).</summary>
public sealed record SegmentImportResult(int Added, int AlreadyMembers, int Unknown, IReadOnlyList<int> UnknownLines);

/// <summary>Segments: create, list, count a rule without saving it, page through members, upload a static list, export members.</summary>
internal sealed class SegmentService(CentricDbContext db, SegmentMembership membership, ICustomerDirectory directory)
{
    public const int MaxPageSize = 100;
    public const int MaxImportLines = 100_000;

    /// <summary>Every segment, with its members counted now (the stream and the periodic re-evaluation may both have moved them).</summary>
    public async Task<IReadOnlyList<SegmentSummary>> ListAsync(CancellationToken ct)
    {
        var segments = await db.Segments.AsNoTracking().OrderBy(s => s.NameKey).ToListAsync(ct);
        var counts = await db.SegmentMembers.GroupBy(m => m.SegmentId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        foreach (var s in segments) s.MemberCount = counts.GetValueOrDefault(s.Id);
        return [.. segments.Select(Summary)];
    }

    public async Task<SegmentDetail?> FindAsync(Guid id, CancellationToken ct)
    {
        if (await db.Segments.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct) is not { } segment) return null;
        segment.MemberCount = await db.SegmentMembers.CountAsync(m => m.SegmentId == id, ct);
        return Detail(segment);
    }

    /// <summary>Creates the segment and, for a rule, works its membership out at once (each member's entry on their timeline).</summary>
    public async Task<SegmentDetail> CreateAsync(NewSegment request, string? by, CancellationToken ct)
    {
        var (name, kind) = ValidateHeader(request.Name, request.Description, request.Kind);
        if (kind == SegmentKind.Rule) SegmentRules.Validate(request.Rule);
        else if (request.Rule is not null) throw RequestValidationException.For("rule", "rule must be left out of a static segment: its members come from a list.");
        var key = name.ToLowerInvariant();
        if (await db.Segments.AnyAsync(s => s.NameKey == key, ct))
            throw new DomainException("segment_name_taken", $"A segment called “{name}” exists already.");
        var now = membership.Now;
        var segment = new Segment
        {
            Name = name, NameKey = key, Description = Blank(request.Description), Kind = kind,
            Rule = kind == SegmentKind.Rule ? SegmentRules.Serialize(request.Rule!) : null,
            TimeBased = kind == SegmentKind.Rule && SegmentRules.IsTimeBased(request.Rule!),
            CreatedAt = now, UpdatedAt = now, CreatedBy = by,
        };
        db.Segments.Add(segment);
        await db.SaveChangesAsync(ct);
        await membership.RefreshAsync(segment, ct);
        return Detail(segment);
    }

    /// <summary>Changes a rule segment's name, description and rule; members who no longer match leave, new matches enter.</summary>
    public async Task<SegmentDetail?> UpdateAsync(Guid id, NewSegment request, CancellationToken ct)
    {
        if (await db.Segments.FirstOrDefaultAsync(s => s.Id == id, ct) is not { } segment) return null;
        var (name, _) = ValidateHeader(request.Name, request.Description, segment.Kind == SegmentKind.Rule ? "rule" : "static");
        if (segment.Kind == SegmentKind.Rule) SegmentRules.Validate(request.Rule);
        var key = name.ToLowerInvariant();
        if (await db.Segments.AnyAsync(s => s.NameKey == key && s.Id != id, ct))
            throw new DomainException("segment_name_taken", $"A segment called “{name}” exists already.");
        (segment.Name, segment.NameKey, segment.Description, segment.UpdatedAt) = (name, key, Blank(request.Description), membership.Now);
        if (segment.Kind == SegmentKind.Rule)
        {
            segment.Rule = SegmentRules.Serialize(request.Rule!);
            segment.TimeBased = SegmentRules.IsTimeBased(request.Rule!);
        }
        await db.SaveChangesAsync(ct);
        await membership.RefreshAsync(segment, ct);
        return Detail(segment);
    }

    /// <summary>How many live customers the rule matches now, without saving anything.</summary>
    public async Task<int> PreviewAsync(SegmentRule? rule, CancellationToken ct)
    {
        SegmentRules.Validate(rule);
        return await new SegmentQuery(db, membership.Now).Matching(rule!).CountAsync(ct);
    }

    /// <summary>A page of members (live profiles), oldest members first; null when the segment does not exist.</summary>
    public async Task<SegmentMemberPage?> MembersAsync(Guid id, int page, int pageSize, CancellationToken ct)
    {
        if (!await db.Segments.AnyAsync(s => s.Id == id, ct)) return null;
        if (page < 1) throw RequestValidationException.For("page", "page starts at 1.");
        if (pageSize is < 1 or > MaxPageSize) throw RequestValidationException.For("pageSize", $"pageSize must be 1–{MaxPageSize}.");
        var members = Members(id);
        var total = await members.CountAsync(ct);
        var rows = await members.OrderBy(m => m.EnteredAt).ThenBy(m => m.ProfileId).Skip((page - 1) * pageSize).Take(pageSize + 1).ToListAsync(ct);
        return new SegmentMemberPage([.. rows.Take(pageSize).Select(Row)], page, pageSize, total, rows.Count > pageSize);
    }

    /// <summary>Writes every member as CSV (profile id, email, first and last name, entered at); false when the segment does not exist.</summary>
    public async Task<bool> ExportAsync(Guid id, Stream body, CancellationToken ct)
    {
        if (!await db.Segments.AnyAsync(s => s.Id == id, ct)) return false;
        // Names and emails are text a spreadsheet could take for a formula (=, +, -, @): those are escaped.
        await using var csv = CsvWriter.Create(body, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        await csv.WriteRecordAsync(["customer_id", "email", "first_name", "last_name", "entered_at"], ct);
        await foreach (var m in Members(id).OrderBy(m => m.EnteredAt).ThenBy(m => m.ProfileId).AsAsyncEnumerable().WithCancellation(ct))
        {
            await csv.WriteRecordAsync([m.ProfileId.ToString(), m.Email ?? "", m.FirstName ?? "", m.LastName ?? "",
                m.EnteredAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)], ct);
        }
        await csv.FlushAsync(ct);
        return true;
    }

    /// <summary>
    /// Adds the customers a CSV names to a static list: a header row, then one customer a line by <c>email</c> or
    /// <c>customer_id</c> (the profile id). Null when the segment does not exist.
    /// </summary>
    public async Task<SegmentImportResult?> ImportAsync(Guid id, Stream csvBody, CancellationToken ct)
    {
        if (await db.Segments.FirstOrDefaultAsync(s => s.Id == id, ct) is not { } segment) return null;
        if (segment.Kind != SegmentKind.Static)
            throw new DomainException("segment_not_static", "Only a static segment takes a list; a rule segment's members follow its rule.", StatusCodes.Status422UnprocessableEntity);
        return await AddLinesAsync(segment, await ReadListAsync(csvBody, ct), ct);
    }

    /// <summary>A new static segment holding the customers the CSV names; the file is read first, so a bad file creates nothing.</summary>
    public async Task<(SegmentDetail Segment, SegmentImportResult Result)> CreateListAsync(string? name, Stream csvBody, string? by, CancellationToken ct)
    {
        ValidateHeader(name, null, "static");
        var lines = await ReadListAsync(csvBody, ct);
        var created = await CreateAsync(new NewSegment(name, null, "static", null), by, ct);
        var segment = await db.Segments.FirstAsync(s => s.Id == created.Id, ct);
        var result = await AddLinesAsync(segment, lines, ct);
        return (Detail(segment), result);
    }

    private async Task<SegmentImportResult> AddLinesAsync(Segment segment, List<ListLine> lines, CancellationToken ct)
    {
        var id = segment.Id;
        var emails = lines.Where(l => l.Email is not null).Select(l => l.Email!).Distinct().ToList();
        var ids = lines.Where(l => l.ProfileId is not null).Select(l => l.ProfileId!.Value).Distinct().ToList();
        var live = new ProfileFacts(db).Live;
        var byEmail = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var chunk in emails.Chunk(1000))
            foreach (var p in await live.Where(p => p.Email != null && chunk.Contains(p.Email)).Select(p => new { p.Id, p.Email }).ToListAsync(ct))
                byEmail.TryAdd(p.Email!, p.Id);
        // An address that is not a primary email may still be one of a profile's identities.
        foreach (var email in emails.Where(e => !byEmail.ContainsKey(e)).Take(1000))
            if (await directory.FindByIdentityAsync(IdentityKinds.Email, email, ct) is { IsKnown: true } card) byEmail[email] = card.Id;
        var known = new HashSet<Guid>();
        foreach (var chunk in ids.Chunk(1000)) known.UnionWith(await live.Where(p => chunk.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct));

        var current = (await db.SegmentMembers.Where(m => m.SegmentId == id).Select(m => m.ProfileId).ToListAsync(ct)).ToHashSet();
        var add = new List<Guid>();
        var unknown = new List<int>();
        var already = 0;
        foreach (var line in lines)
        {
            Guid? who = line.ProfileId is { } pid && known.Contains(pid) ? pid : line.Email is { } e && byEmail.TryGetValue(e, out var byMail) ? byMail : null;
            if (who is not { } profile) unknown.Add(line.Number);
            else if (current.Add(profile)) add.Add(profile);
            else already++;
        }
        var (entered, _) = await membership.ApplyAsync(segment, add, [], ct);
        segment.MemberCount = current.Count;
        segment.UpdatedAt = membership.Now;
        await db.SaveChangesAsync(ct);
        return new SegmentImportResult(entered, already, unknown.Count, [.. unknown.Take(100)]);
    }

    private sealed record ListLine(int Number, string? Email, Guid? ProfileId);

    private static readonly CsvReaderOptions ReadOptions = CsvReaderOptions.Default with { Separator = ',', TrackLineNumbers = true };

    private static async Task<List<ListLine>> ReadListAsync(Stream body, CancellationToken ct)
    {
        using var reader = new StreamReader(body);
        await using var csv = CsvReader.Create(reader, ReadOptions, leaveOpen: true);
        await csv.ReadHeaderAsync(ct);
        var headers = csv.Headers.Select(h => h.Trim().ToLowerInvariant().Replace(' ', '_')).ToList();
        var emailColumn = headers.FindIndex(h => h is "email" or "e-mail" or "email_address");
        var idColumn = headers.FindIndex(h => h is "customer_id" or "profile_id" or "id");
        if (emailColumn < 0 && idColumn < 0)
            throw RequestValidationException.For("file", "file must be CSV with a header row naming an email or customer_id column.");
        string? Field(int i) => i >= 0 && i < csv.FieldCount ? csv.GetString(i)?.Trim() : null;
        var lines = new List<ListLine>();
        while (await csv.ReadAsync(ct))
        {
            if (lines.Count >= MaxImportLines) throw RequestValidationException.For("file", $"file holds more than {MaxImportLines:N0} customers; split it.");
            var number = (int)csv.LineNumber;
            var email = Field(emailColumn)?.ToLowerInvariant();
            if (email is not null && (email.Length > 320 || !StorableText.IsStorable(email))) email = "";   // names nobody
            var id = Guid.TryParse(Field(idColumn), out var g) ? g : (Guid?)null;
            if (string.IsNullOrEmpty(email) && id is null)
            {
                if (Enumerable.Range(0, csv.FieldCount).All(i => string.IsNullOrWhiteSpace(csv.GetString(i)))) continue;   // a blank line
                lines.Add(new ListLine(number, null, null));
                continue;
            }
            lines.Add(new ListLine(number, string.IsNullOrEmpty(email) ? null : email, id));
        }
        return lines;
    }

    private sealed class MemberView
    {
        public Guid ProfileId { get; init; }
        public DateTime EnteredAt { get; init; }
        public string? Email { get; init; }
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
    }

    private IQueryable<MemberView> Members(Guid id) =>
        db.SegmentMembers.Where(m => m.SegmentId == id)
            .Join(new ProfileFacts(db).Live, m => m.ProfileId, p => p.Id, (m, p) => new MemberView
            {
                ProfileId = m.ProfileId, EnteredAt = m.EnteredAt, Email = p.Email, FirstName = p.FirstName, LastName = p.LastName,
            });

    private static SegmentMemberRow Row(MemberView m) =>
        new(m.ProfileId, $"{m.FirstName} {m.LastName}".Trim() is { Length: > 0 } n ? n : m.Email ?? "Unnamed customer", m.Email, m.EnteredAt);

    private static (string Name, SegmentKind Kind) ValidateHeader(string? name, string? description, string? kind)
    {
        var trimmed = name?.Trim();
        if (trimmed is not { Length: >= 1 and <= 120 }) throw RequestValidationException.For("name", "name must be 1–120 characters.");
        if (description is { Length: > 1000 }) throw RequestValidationException.For("description", "description must be at most 1000 characters.");
        return (trimmed, (kind ?? "rule").Trim().ToLowerInvariant() switch
        {
            "rule" => SegmentKind.Rule,
            "static" => SegmentKind.Static,
            _ => throw RequestValidationException.For("kind", "kind must be \"rule\" or \"static\"."),
        });
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static string KindName(SegmentKind kind) => kind == SegmentKind.Rule ? "rule" : "static";

    public static SegmentSummary Summary(Segment s) =>
        new(s.Id, s.Name, s.Description, KindName(s.Kind), s.MemberCount, s.TimeBased, s.CreatedAt, s.UpdatedAt, s.EvaluatedAt);

    public static SegmentDetail Detail(Segment s) =>
        new(s.Id, s.Name, s.Description, KindName(s.Kind), s.Rule is null ? null : SegmentRules.Parse(s.Rule), s.MemberCount, s.TimeBased,
            s.CreatedAt, s.UpdatedAt, s.EvaluatedAt, s.CreatedBy);
}
