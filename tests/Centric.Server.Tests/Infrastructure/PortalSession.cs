using System.Net;
using Centric.Server.Platform.Identity;
using Centric.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Centric.Server.Tests.Infrastructure;

/// <summary>A browser-like portal visitor: a guest, or a customer signed in through the real login form (its cookies also open SignalR hubs).</summary>
public sealed class PortalSession : IDisposable
{
    private PortalSession(CentricAppFactory app, CookieContainer cookies)
    {
        App = app;
        Cookies = cookies;
        Client = new HttpClient(new CookieContainerHandler(cookies) { InnerHandler = app.Server.CreateHandler() }) { BaseAddress = app.Server.BaseAddress };
    }

    /// <summary>The password of every account this creates (also good for signing in over the API).</summary>
    public const string Password = "Portal-pass-1234";

    public CentricAppFactory App { get; }
    public CookieContainer Cookies { get; }
    public HttpClient Client { get; }

    /// <summary>The Cookie header for requests made outside <see cref="Client"/> (a hub connection).</summary>
    public string CookieHeader => Cookies.GetCookieHeader(App.Server.BaseAddress);

    /// <summary>A visitor who is not signed in (a guest), with cookies kept across requests.</summary>
    public static PortalSession Guest(CentricAppFactory app) => new(app, new CookieContainer());

    public static async Task<PortalSession> SignInAsync(CentricAppFactory app, Guid profileId, string email)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<CentricUser>>();
            var user = new CentricUser { UserName = email, Email = email, EmailConfirmed = true, ProfileId = profileId, DisplayName = "Ana Silva" };
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        }
        return await SignInAsync(app, email, Password);
    }

    /// <summary>Signs in an account that exists already (a demo login).</summary>
    public static async Task<PortalSession> SignInAsync(CentricAppFactory app, string email, string password)
    {
        var session = new PortalSession(app, new CookieContainer());
        var login = await session.Client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Email"] = email, ["Input.Password"] = password,
            ["__RequestVerificationToken"] = await session.AntiforgeryTokenAsync("/Account/Login"),
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return session;
    }

    public async Task<string> AntiforgeryTokenAsync(string path)
    {
        var html = await Client.GetStringAsync(new Uri(path, UriKind.Relative));
        var token = FormSession.Antiforgery(html);
        Assert.False(string.IsNullOrEmpty(token), $"no antiforgery token on {path}");
        return token;
    }

    public void Dispose() => Client.Dispose();
}
