using Centric.Server.Customers.Contracts;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Identity;

namespace Centric.Server.Tests.Infrastructure;

/// <summary>A customer of the headless API: an account with a profile, signed in at POST /api/v1/auth/login; the client sends the bearer token.</summary>
public sealed class ApiCustomer : IDisposable
{
    private ApiCustomer(Guid profile, string email, string userId, string? authenticatorKey, HttpClient client, string accessToken, string refreshToken)
    {
        (Profile, Email, UserId, AuthenticatorKey, Client, AccessToken, RefreshToken) = (profile, email, userId, authenticatorKey, client, accessToken, refreshToken);
    }

    public Guid Profile { get; }
    public string Email { get; }
    public string UserId { get; }
    /// <summary>The authenticator app's key when the account has two-factor sign-in on.</summary>
    public string? AuthenticatorKey { get; }
    public HttpClient Client { get; }
    public string AccessToken { get; }
    public string RefreshToken { get; }

    /// <summary>A confirmed customer account (password <see cref="PortalSession.Password"/>) on a new profile; with MFA, its authenticator key.</summary>
    public static async Task<(Guid Profile, string Email, string UserId, string? AuthenticatorKey)> CreateAccountAsync(CentricAppFactory app, bool withMfa = false)
    {
        var email = Json.NewEmail();
        await using var scope = app.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
        var profile = directory.Create(ProfileKind.Known);
        profile.FirstName = "Ana";
        profile.LastName = "Silva";
        directory.AddIdentity(profile, IdentityKinds.Email, email, true);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CentricUser>>();
        var user = new CentricUser { UserName = email, Email = email, EmailConfirmed = true, ProfileId = profile.Id, DisplayName = "Ana Silva" };
        Assert.True((await users.CreateAsync(user, PortalSession.Password)).Succeeded);
        string? key = null;
        if (withMfa)
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
        }
        return (profile.Id, email, user.Id, key);
    }

    /// <summary>A new customer, signed in over the API (with an authenticator code when <paramref name="withMfa"/>).</summary>
    public static async Task<ApiCustomer> SignInAsync(CentricAppFactory app, bool withMfa = false)
    {
        var (profile, email, userId, key) = await CreateAccountAsync(app, withMfa);
        return await SignInAsync(app, profile, email, userId, key);
    }

    /// <summary>An existing account (password <see cref="PortalSession.Password"/>) signs in over the API.</summary>
    public static async Task<ApiCustomer> SignInAsync(CentricAppFactory app, Guid profile, string email, string userId, string? authenticatorKey = null)
    {
        using var anonymous = app.CreateClient();
        using var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new
        {
            email, password = PortalSession.Password,
            twoFactorCode = authenticatorKey is null ? null : StaffSession.TotpCode(authenticatorKey, DateTimeOffset.UtcNow),
        });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"sign-in answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var tokens = await response.ReadJsonAsync();
        var access = tokens.GetProperty("accessToken").GetString()!;
        return new ApiCustomer(profile, email, userId, authenticatorKey, ClientWithToken(app, access), access, tokens.GetProperty("refreshToken").GetString()!);
    }

    public static HttpClient ClientWithToken(CentricAppFactory app, string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A request with an Idempotency-Key header.</summary>
    public Task<HttpResponseMessage> PostIdempotentAsync(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return Client.SendAsync(request);
    }

    public void Dispose() => Client.Dispose();
}
