using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Centric.Server.Platform.Identity;
using Centric.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Centric.Server.Tests.Infrastructure;

/// <summary>
/// A member of staff signed in through the real login form, with or without a second factor (an authenticator app,
/// whose codes the test computes itself). The client keeps cookies and does not follow redirects.
/// </summary>
public static class StaffSession
{
    public const string Password = "Staff-pass-12345";

    public static async Task<HttpClient> SignInAsync(CentricAppFactory app, string role, bool withMfa, string? email = null)
    {
        email ??= Json.NewEmail();
        string? authenticatorKey = null;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<CentricUser>>();
            var user = new CentricUser { UserName = email, Email = email, EmailConfirmed = true, IsStaff = true, DisplayName = role + " person" };
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
            if (withMfa)
            {
                await users.ResetAuthenticatorKeyAsync(user);
                authenticatorKey = await users.GetAuthenticatorKeyAsync(user);
                await users.SetTwoFactorEnabledAsync(user, true);
            }
        }
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Email"] = email, ["Input.Password"] = Password,
            ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client, "/Account/Login"),
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        if (authenticatorKey is null) return client;

        Assert.Contains("LoginWith2fa", login.Headers.Location!.ToString(), StringComparison.Ordinal);
        var second = await client.PostAsync(login.Headers.Location, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login-with-2fa", ["Input.TwoFactorCode"] = TotpCode(authenticatorKey, DateTimeOffset.UtcNow),
            ["RememberMe"] = "False", ["ReturnUrl"] = "/",
            ["__RequestVerificationToken"] = await AntiforgeryTokenAsync(client, login.Headers.Location!.ToString()),
        }));
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.DoesNotContain("LoginWith2fa", second.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        return client;
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(new Uri(path, UriKind.RelativeOrAbsolute));
        var token = FormSession.Antiforgery(html);
        Assert.False(string.IsNullOrEmpty(token), $"no antiforgery token on {path}");
        return token;
    }

    /// <summary>True when the response refuses the page: a 403, or the redirect to the access-denied page (which tells staff to enrol MFA).</summary>
    public static bool Refused(HttpResponseMessage response) => response.StatusCode is HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("AccessDenied", StringComparison.Ordinal));

    /// <summary>What an authenticator app shows (RFC 6238): HMAC-SHA1 over 30-second steps, truncated to six digits.</summary>
    public static string TotpCode(string base32Key, DateTimeOffset at)
    {
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, at.ToUnixTimeSeconds() / 30);
#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1; this mirrors them, it protects nothing.
        var hash = HMACSHA1.HashData(Base32(base32Key), message);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7fffffff;
        return (binary % 1_000_000).ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits < 8) continue;
            bits -= 8;
            bytes.Add((byte)(buffer >> bits));
            buffer &= (1 << bits) - 1;
        }
        return [.. bytes];
    }
}
