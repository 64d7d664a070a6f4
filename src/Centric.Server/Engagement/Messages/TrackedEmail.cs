using System.Text.Encodings.Web;
using AngleSharp.Html.Parser;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Seo;

namespace Centric.Server.Engagement.Messages;

/// <summary>An Engagement email as it goes out: its HTML with tracked links, and the extra headers it carries.</summary>
public sealed record ComposedEmail(string Html, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Makes an Engagement email ready to send: every web link goes through a signed click link (so only links that were in the
/// message can be followed through it), a 1×1 image reports the opening, and a marketing email ends with an unsubscribe link and
/// carries the RFC 8058 headers (<c>List-Unsubscribe</c> with the one-click address, <c>List-Unsubscribe-Post</c>) that mail programs
/// show as their own unsubscribe button.
/// </summary>
public sealed class TrackedEmail(MessageLinks links, PublicAddress address)
{
    private static readonly HtmlParser Parser = new();

    public ComposedEmail Compose(Guid messageId, string purpose, string html)
    {
        var document = Parser.ParseDocument("<!DOCTYPE html><html><body>" + html + "</body></html>");
        foreach (var a in document.QuerySelectorAll("a[href]"))
        {
            var href = a.GetAttribute("href")!.Trim();
            if (href.StartsWith('#') || href.Contains(':', StringComparison.Ordinal) && !href.StartsWith("http", StringComparison.OrdinalIgnoreCase)) continue;
            var target = address.Absolute(null, href);
            if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") a.SetAttribute("href", links.ClickUrl(messageId, target));
        }
        var body = document.Body!.InnerHtml;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (purpose == ConsentPurposes.Marketing)
        {
            var unsubscribe = HtmlEncoder.Default.Encode(links.UnsubscribeUrl(messageId));
            body += $"<p style=\"font-size:12px;color:#555\">You receive this because you said yes to our news by email. <a href=\"{unsubscribe}\">Unsubscribe</a>.</p>";
            headers["List-Unsubscribe"] = $"<{links.OneClickUrl(messageId)}>";
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
        }
        body += $"<img src=\"{HtmlEncoder.Default.Encode(links.OpenUrl(messageId))}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">";
        return new ComposedEmail(body, headers);
    }
}
