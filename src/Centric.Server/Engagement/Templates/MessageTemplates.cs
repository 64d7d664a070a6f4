using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Templates;

public sealed record MessageTemplateDetail(Guid Id, string Name, string Channel, string Purpose, string Subject, string Body,
    DateTime CreatedAt, DateTime UpdatedAt, string? UpdatedBy);

/// <summary>A new template or its new version. Email needs a subject; SMS has none (what is given is ignored).</summary>
public sealed record NewMessageTemplate(string? Name, string? Channel, string? Purpose, string? Subject, string? Body);

public sealed record MessageTemplateList(IReadOnlyList<MessageTemplateDetail> Items);

/// <summary>Message templates: list, create, change, and fill one in for a customer (the console's preview).</summary>
public sealed class MessageTemplates(CentricDbContext db, TemplateRenderer renderer, ProfileTraits traits, TimeProvider clock)
{
    public const int MaxBody = 20_000;
    public const int MaxSubject = 300;
    /// <summary>The channels a template can be for (web push when it is configured; in-app notices need a subject as their title).</summary>
    public static readonly string[] Channels = ["email", "sms", "push", ConsentChannels.InApp];

    public async Task<IReadOnlyList<MessageTemplateDetail>> ListAsync(CancellationToken ct) =>
        [.. (await db.MessageTemplates.AsNoTracking().OrderBy(t => t.NameKey).ToListAsync(ct)).Select(Detail)];

    public async Task<MessageTemplateDetail?> FindAsync(Guid id, CancellationToken ct) =>
        await db.MessageTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) is { } t ? Detail(t) : null;

    public async Task<MessageTemplateDetail> CreateAsync(NewMessageTemplate request, string? by, CancellationToken ct)
    {
        var valid = Validate(request);
        await EnsureNameFreeAsync(valid.NameKey, null, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var template = new MessageTemplate { CreatedAt = now };
        Apply(template, valid, now, by);
        db.MessageTemplates.Add(template);
        await db.SaveChangesAsync(ct);
        return Detail(template);
    }

    public async Task<MessageTemplateDetail?> UpdateAsync(Guid id, NewMessageTemplate request, string? by, CancellationToken ct)
    {
        if (await db.MessageTemplates.FirstOrDefaultAsync(t => t.Id == id, ct) is not { } template) return null;
        var valid = Validate(request);
        await EnsureNameFreeAsync(valid.NameKey, id, ct);
        Apply(template, valid, clock.GetUtcNow().UtcDateTime, by);
        await db.SaveChangesAsync(ct);
        return Detail(template);
    }

    /// <summary>The template filled in for a customer (their names and address, and sample values for the rest); null when the template does not exist.</summary>
    public async Task<RenderedMessage?> PreviewAsync(Guid id, Guid? profileId, IReadOnlyDictionary<string, string>? data, CancellationToken ct)
    {
        if (await db.MessageTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) is not { } template) return null;
        var contact = profileId is { } p ? await traits.ContactAsync(p, ct) : null;
        return await renderer.RenderAsync(template.Channel, template.Subject, template.Body, profileId, contact, data, ct);
    }

    private sealed record ValidTemplate(string Name, string NameKey, string Channel, string Purpose, string Subject, string Body);

    private static ValidTemplate Validate(NewMessageTemplate request)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 120 || name.Any(char.IsControl)) errors["name"] = ["A name of 1–120 characters, on one line."];
        var channel = request.Channel?.Trim().ToLowerInvariant() ?? "";
        if (!Channels.Contains(channel)) errors["channel"] = [$"One of {string.Join(", ", Channels)}."];
        var purpose = request.Purpose?.Trim().ToLowerInvariant() ?? "";
        if (!ConsentPurposes.All.Contains(purpose)) errors["purpose"] = [$"One of {string.Join(", ", ConsentPurposes.All)}."];
        var subject = channel == "sms" ? "" : request.Subject?.Trim() ?? "";
        if (channel != "sms" && subject.Length == 0) errors["subject"] = ["A subject (the title of a notice or a push message)."];
        else if (subject.Length > MaxSubject) errors["subject"] = [$"At most {MaxSubject} characters."];
        else if (TemplateRenderer.SyntaxError(subject) is { } subjectError) errors["subject"] = ["Not a valid template: " + subjectError];
        var body = request.Body?.Trim() ?? "";
        if (body.Length == 0) errors["body"] = ["The message's text."];
        else if (body.Length > MaxBody) errors["body"] = [$"At most {MaxBody:N0} characters."];
        else if (TemplateRenderer.SyntaxError(body) is { } bodyError) errors["body"] = ["Not a valid template: " + bodyError];
        if (!StorableText.IsStorable(name) || !StorableText.IsStorable(subject) || !StorableText.IsStorable(body)) errors["text"] = [StorableText.Rule];
        if (errors.Count > 0) throw new RequestValidationException(errors.First().Value[0], errors);
        return new ValidTemplate(name, name.ToLowerInvariant(), channel, purpose, subject, body);
    }

    private async Task EnsureNameFreeAsync(string key, Guid? except, CancellationToken ct)
    {
        if (await db.MessageTemplates.AnyAsync(t => t.NameKey == key && t.Id != except, ct))
            throw new DomainException("template_name_taken", "A template with this name exists already.");
    }

    private static void Apply(MessageTemplate t, ValidTemplate v, DateTime now, string? by) =>
        (t.Name, t.NameKey, t.Channel, t.Purpose, t.Subject, t.Body, t.UpdatedAt, t.UpdatedBy) = (v.Name, v.NameKey, v.Channel, v.Purpose, v.Subject, v.Body, now, by);

    private static MessageTemplateDetail Detail(MessageTemplate t) =>
        new(t.Id, t.Name, t.Channel, t.Purpose, t.Subject, t.Body, t.CreatedAt, t.UpdatedAt, t.UpdatedBy);
}
