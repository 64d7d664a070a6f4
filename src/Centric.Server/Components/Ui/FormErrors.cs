using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Components;

namespace Centric.Server.Components.Ui;

/// <summary>
/// A form's field messages after a service refused its input (a <see cref="RequestValidationException"/>, whose errors are
/// those of the API's 400 ProblemDetails), keyed by the request's field names ("points", "address.city", "tiers[0].name").
/// A form shows each under its field (<see cref="FormField"/>'s Error, or <see cref="Message"/>) and the summary above.
/// </summary>
public sealed class FormErrors
{
    public const string Summary = "Please check the highlighted fields.";

    private IDictionary<string, string[]> errors = new Dictionary<string, string[]>();

    /// <summary>The first message about a field; null when the field is fine.</summary>
    public string? this[string field] => errors.TryGetValue(field, out var messages) && messages.Length > 0 ? messages[0] : null;

    /// <summary>The fields with a message whose names start with <paramref name="prefix"/> (the rows of a list).</summary>
    public IEnumerable<string> FieldsStartingWith(string prefix) =>
        errors.Where(e => e.Value.Length > 0 && e.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Key);

    /// <summary>
    /// Keeps the refused input's messages and returns the summary for the form's banner. With the page's response, the page
    /// answers 400 as the API would.
    /// </summary>
    public string Take(RequestValidationException refused, HttpResponse? response = null)
    {
        errors = refused.Errors;
        if (response is not null) response.StatusCode = StatusCodes.Status400BadRequest;
        return Summary;
    }

    /// <summary>The id of the element <see cref="Message"/> writes ("address.city" → "err-address-city"), for the control's aria-describedby; null when the field is fine.</summary>
    public string? MessageId(string field) => errors.ContainsKey(field) ? "err-" + field.Replace('.', '-') : null;

    /// <summary>A field's message as an inline alert, for controls laid out without a <see cref="FormField"/>; nothing when the field is fine.</summary>
    public RenderFragment Message(string field) => builder =>
    {
        if (this[field] is not { } message) return;
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "error");
        builder.AddAttribute(2, "id", MessageId(field));
        builder.AddAttribute(3, "role", "alert");
        builder.AddContent(4, message);
        builder.CloseElement();
    };
}
