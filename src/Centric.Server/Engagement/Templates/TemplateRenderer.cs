using System.Text.Encodings.Web;
using Centric.Server.Customers.Contracts;
using Centric.Server.Engagement.Contracts;
using Centric.Server.Platform.Errors;
using Fluid;
using Fluid.Values;
using Ganss.Xss;

namespace Centric.Server.Engagement.Templates;

/// <summary>A template filled in for one customer: the subject (plain text) and the body (sanitised HTML for email, plain text otherwise).</summary>
public sealed record RenderedMessage(string Subject, string Body);

/// <summary>
/// Fills a template's Liquid placeholders for one customer: <c>first_name</c>, <c>last_name</c>, <c>display_name</c>, <c>email</c>, the
/// values the sender passes (<see cref="OutgoingMessage.Data"/>, by their own names), and <c>recommendations</c> (products
/// with <c>name</c>, <c>url</c>, <c>price</c>, <c>category</c>). In an email body every value is HTML-encoded and the result is
/// sanitised, so neither a customer's name nor a template can put script into a message or into the console's preview.
/// </summary>
public sealed class TemplateRenderer(IEnumerable<IMessageRecommendations> recommendations)
{
    public const int RecommendationCount = 4;

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new TemplateOptionsBuilder().WithMaxSteps(100_000).WithMaxRecursion(20).WithMaxOutputSize(1_000_000).Build();
    private static readonly HtmlSanitizer Sanitizer = new();

    /// <summary>The Liquid error in a subject or body, or null when it parses.</summary>
    public static string? SyntaxError(string source) => Parser.TryParse(source, out _, out var error) ? null : error;

    public async Task<RenderedMessage> RenderAsync(string channel, string subject, string body, Guid? profileId, ProfileContact? contact,
        IReadOnlyDictionary<string, string>? data, CancellationToken ct)
    {
        var context = new TemplateContext(Options);
        foreach (var (key, value) in data ?? new Dictionary<string, string>()) context.SetValue(key, value);
        // The profile's own values come last: a value passed by a sender cannot pose as the customer's name or address.
        context.SetValue("first_name", contact?.FirstName ?? "");
        context.SetValue("last_name", contact?.LastName ?? "");
        context.SetValue("display_name", contact?.DisplayName ?? "");
        context.SetValue("email", contact?.Email ?? "");
        if (profileId is { } id && (subject + body).Contains("recommendations", StringComparison.Ordinal))
        {
            var items = new List<Dictionary<string, object>>();
            foreach (var source in recommendations)
            {
                foreach (var item in await source.ForCustomerAsync(id, RecommendationCount, ct))
                    items.Add(new Dictionary<string, object>
                    {
                        ["name"] = item.Name, ["url"] = "/shop/" + item.Slug, ["price"] = item.Price, ["category"] = item.CategoryName, ["sku"] = item.Sku,
                    });
                break;
            }
            context.SetValue("recommendations", FluidValue.Create(items, Options));
        }
        var renderedSubject = OneLine(await RenderAsync(subject, context, NullEncoder.Default));
        var renderedBody = channel == "email"
            ? Sanitizer.Sanitize(await RenderAsync(body, context, HtmlEncoder.Default))
            : (await RenderAsync(body, context, NullEncoder.Default)).Trim();
        return new RenderedMessage(renderedSubject, renderedBody);
    }

    private static async Task<string> RenderAsync(string source, TemplateContext context, TextEncoder encoder)
    {
        // Templates are checked when saved, so this fails only on a template that loops or outgrows the limits.
        if (!Parser.TryParse(source, out var template, out var error)) throw Failed(error);
        try { return await template.RenderAsync(context, encoder); }
        catch (Exception e) when (e is InvalidOperationException or FluidException) { throw Failed(e.Message); }
    }

    public const string RenderFailed = "template_render_failed";

    private static DomainException Failed(string why) =>
        new(RenderFailed, $"The template could not be filled in: {why}", StatusCodes.Status422UnprocessableEntity);

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
