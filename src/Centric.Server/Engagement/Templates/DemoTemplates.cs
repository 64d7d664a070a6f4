using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Templates;

/// <summary>The demo's message templates (welcome, abandoned cart, win-back), written through the same service as a marketer's.</summary>
internal sealed class DemoTemplates(MessageTemplates templates, CentricDbContext db)
{
    public static readonly NewMessageTemplate[] Demo =
    [
        new("Welcome", "email", "marketing", "Welcome, {{ first_name | default: \"friend\" }}",
            """
            <p>Hello {{ first_name | default: "there" }},</p>
            <p>Thank you for joining us. Here is what other customers love right now:</p>
            <ul>{% for p in recommendations %}<li><a href="{{ p.url }}">{{ p.name }}</a> — {{ p.price }}</li>{% endfor %}</ul>
            <p><a href="/shop">Visit the shop</a></p>
            """),
        new("Abandoned cart", "email", "marketing", "You left something in your cart",
            """
            <p>Hi {{ first_name | default: "there" }},</p>
            <p>Your cart is waiting{% if cart_total %} ({{ cart_total }}){% endif %}. Pick up where you left off:</p>
            <p><a href="/cart">Back to my cart</a></p>
            """),
        new("Win-back", "email", "marketing", "We miss you, {{ first_name | default: \"friend\" }}",
            """
            <p>Hello {{ first_name | default: "there" }},</p>
            <p>It has been a while. Here is {{ offer | default: "10 % off" }} your next order with the code <b>{{ code | default: "WELCOME10" }}</b>.</p>
            <p><a href="/shop">See what is new</a></p>
            """),
        new("Win-back SMS", "sms", "marketing", null,
            "{{ first_name | default: \"Hi\" }}, we miss you! {{ offer | default: \"10% off\" }} your next order with {{ code | default: \"WELCOME10\" }}. Reply STOP to opt out."),
    ];

    public async Task SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.MessageTemplates.AnyAsync(ct)) return;
        foreach (var template in Demo) await templates.CreateAsync(template, "Centric demo", ct);
    }
}
