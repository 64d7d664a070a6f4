using System.Net;
using System.Net.Http.Json;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Mail;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Centric.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Platform;

public abstract class StaffTests(CentricAppFactory app)
{
    [SkippableFact]
    public async Task An_invited_member_of_staff_gets_roles_and_a_set_password_link_and_the_invite_is_audited()
    {
        app.SkipIfUnavailable();
        var email = Json.NewEmail();
        await using var scope = app.Services.CreateAsyncScope();
        var staff = scope.ServiceProvider.GetRequiredService<StaffDirectory>();
        await staff.InviteAsync(email, "Ines Agent", [Roles.Agent, Roles.Analyst], default);

        var users = scope.ServiceProvider.GetRequiredService<UserManager<CentricUser>>();
        var user = await users.FindByEmailAsync(email);
        Assert.NotNull(user);
        Assert.True(user.IsStaff);
        Assert.Equal([Roles.Agent, Roles.Analyst], (await users.GetRolesAsync(user)).Order());
        Assert.False(await users.HasPasswordAsync(user));

        var mail = await app.WithDbAsync(db => db.Mail.Where(m => m.To == email).SingleAsync());
        Assert.Contains("/Account/ResetPassword?code=", mail.HtmlBody, StringComparison.Ordinal);
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == "staff.invited" && a.Details!.Contains(email)).CountAsync());
        Assert.Equal(1, audit);

        await staff.SetRolesAsync(user.Id, [Roles.Marketer], default);
        user = await users.FindByEmailAsync(email);
        Assert.Equal([Roles.Marketer], await users.GetRolesAsync(user!));

        await Assert.ThrowsAsync<DomainException>(() => staff.InviteAsync(email, null, [Roles.Agent], default));
        await Assert.ThrowsAsync<RequestValidationException>(() => staff.InviteAsync(Json.NewEmail(), null, ["Owner"], default));
        await Assert.ThrowsAsync<RequestValidationException>(() => staff.InviteAsync("nobody", null, [Roles.Agent], default));
    }

    [SkippableFact]
    public async Task A_sign_in_with_mfa_keeps_it_when_the_session_is_revalidated()
    {
        // The session is checked against the store (normally once a minute) on every request here; each check rebuilds the
        // principal, and staff who signed in with MFA must still count as such afterwards.
        await using var revalidating = new CentricAppFactory(app.Provider)
            .WithServices(s => s.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero));
        revalidating.SkipIfUnavailable();
        using var staff = await StaffSession.SignInAsync(revalidating, Roles.Agent, withMfa: true);
        for (var i = 1; i <= 3; i++)
        {
            await Task.Delay(20);
            Assert.Equal((i, HttpStatusCode.OK), (i, (await staff.GetAsync("/console/customers")).StatusCode));
        }
    }

    [SkippableFact]
    public async Task An_admin_signed_in_without_mfa_is_refused_every_staff_page_and_action_and_allowed_with_mfa()
    {
        app.SkipIfUnavailable();
        var recipient = Json.NewEmail();
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<MailOutbox>().SendAsync(recipient, "Your order", "<p>Open it with key abc</p>", default);
        var mailId = await app.WithDbAsync(db => db.Mail.Where(m => m.To == recipient).Select(m => m.Id).SingleAsync());
        using var api = app.AdminClient();
        var hook = await (await api.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/centric", eventTypes = new[] { "*" } })).ReadJsonAsync();
        var hookId = hook.GetProperty("id").GetString();

        using var withoutMfa = await StaffSession.SignInAsync(app, Roles.Admin, withMfa: false);
        using var withMfa = await StaffSession.SignInAsync(app, Roles.Admin, withMfa: true);
        string[] pages =
        [
            "/console/mail", $"/console/mail/{mailId}", "/console/audit", "/console/apikeys", "/console/webhooks", $"/console/webhooks/{hookId}",
            "/console/staff", "/console/support/setup", "/console/support/measures", "/console/customers", "/console/orders", "/console/returns",
            "/console/inbox", "/console/help", "/console/products/export.csv", "/console/insights/models", "/console/insights",
            "/console/insights/customers", "/console/insights/export/kpis?format=xlsx&from=2026-11-01&to=2026-11-08",
            "/console/insights/deciles", "/console/insights/costs", "/console/insights/report", "/console/personalisation",
        ];
        foreach (var page in pages)
        {
            Assert.True(StaffSession.Refused(await withoutMfa.GetAsync(page)), $"{page} without MFA");
            Assert.Equal((page, HttpStatusCode.OK), (page, (await withMfa.GetAsync(page)).StatusCode));
        }

        // The refusal says how to get in; the console's front door (counts only) opens and says the same.
        var refused = await withoutMfa.GetAsync("/console/mail");
        var denied = await withoutMfa.GetStringAsync(refused.Headers.Location);
        Assert.Contains("Enrol an authenticator app", denied, StringComparison.Ordinal);
        Assert.DoesNotContain(recipient, denied, StringComparison.Ordinal);
        var entrance = await withoutMfa.GetAsync("/console");
        Assert.Equal(HttpStatusCode.OK, entrance.StatusCode);
        Assert.Contains("two-factor authentication", await entrance.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Actions too: minting a customers:read key or subscribing a webhook to everything is refused without MFA.
        async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, Dictionary<string, string> form)
        {
            form["__RequestVerificationToken"] = await StaffSession.AntiforgeryTokenAsync(client, "/Account/Manage");
            return await client.PostAsync(path, new FormUrlEncodedContent(form));
        }
        Dictionary<string, string> KeyForm(string name) => new() { ["_handler"] = "create-key", ["Input.Name"] = name, ["Input.CustomersRead"] = "true" };
        Dictionary<string, string> HookForm(string url) => new() { ["_handler"] = "create-webhook", ["Input.Url"] = url, ["Input.Types"] = "*" };
        var refusedKey = "refused " + Guid.NewGuid().ToString("N");
        var refusedHook = $"https://hooks.example.com/{Guid.NewGuid():N}";
        Assert.True(StaffSession.Refused(await PostAsync(withoutMfa, "/console/apikeys", KeyForm(refusedKey))));
        Assert.True(StaffSession.Refused(await PostAsync(withoutMfa, "/console/webhooks", HookForm(refusedHook))));
        Assert.False(await app.WithDbAsync(db => db.ApiKeys.AnyAsync(k => k.Name == refusedKey)));
        Assert.False(await app.WithDbAsync(db => db.WebhookSubscriptions.AnyAsync(w => w.Url == refusedHook)));

        var allowedKey = "allowed " + Guid.NewGuid().ToString("N");
        var allowedHook = $"https://hooks.example.com/{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(withMfa, "/console/apikeys", KeyForm(allowedKey))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(withMfa, "/console/webhooks", HookForm(allowedHook))).StatusCode);
        Assert.True(await app.WithDbAsync(db => db.ApiKeys.AnyAsync(k => k.Name == allowedKey)));
        Assert.True(await app.WithDbAsync(db => db.WebhookSubscriptions.AnyAsync(w => w.Url == allowedHook)));
    }

    [SkippableFact]
    public async Task Every_console_endpoint_but_the_overview_requires_staff_mfa()
    {
        app.SkipIfUnavailable();
        var provider = app.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("console", StringComparison.OrdinalIgnoreCase) == true)
            .ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText!.Contains("console/mail", StringComparison.Ordinal));
        foreach (var endpoint in endpoints)
        {
            var route = endpoint.RoutePattern.RawText!.TrimStart('/');
            if (route == "console") continue;
            var policy = await AuthorizationPolicy.CombineAsync(provider, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(),
                endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
            Assert.True(policy?.Requirements.OfType<StaffMfaRequirement>().Any() == true, $"{route} does not require staff MFA");
        }
    }
}

public sealed class StaffOnSqlite(SqliteApp app) : StaffTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class StaffOnPostgres(PostgresApp app) : StaffTests(app), IClassFixture<PostgresApp>;
