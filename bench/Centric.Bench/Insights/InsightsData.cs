using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Centric.Bench.Commerce;
using Centric.Bench.Platform;
using Centric.Testing;
using Npgsql;

namespace Centric.Bench.Insights;

/// <summary>
/// The data the Insights benches share: the `segments` fill (1,000,000 profiles, 10,000,000 interactions with orders and
/// their lines), made once and reused when the database already holds it (--database NAME keeps it between runs).
/// </summary>
internal static class InsightsData
{
    /// <summary>Settings of a server that only measures: no scheduled training, no journeys or campaigns running beside.</summary>
    public static readonly IReadOnlyDictionary<string, string> QuietServer = new Dictionary<string, string>
    {
        ["Engagement__BackgroundJobs"] = "false",
        ["Insights__BackgroundTraining"] = "false",
    };

    /// <summary>Fills the database unless it holds the profiles already; returns the fill's seconds, or null when it was reused.</summary>
    public static async Task<double?> EnsureFilledAsync(string connection, int profiles, int interactions, int days)
    {
        if (await ScalarAsync(connection, "SELECT count(*) FROM customers_profiles") >= profiles) return null;
        var started = Stopwatch.GetTimestamp();
        await Engagement.SegmentsCommand.FillAsync(connection, profiles, interactions, days);
        return Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
    }

    public static async Task<long> ScalarAsync(string connection, string sql)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(string connection, string sql)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The `app;dur=` value of a Server-Timing header, in milliseconds.</summary>
    public static double? ServerMs(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Server-Timing", out var values)) return null;
        foreach (var value in values)
        {
            var at = value.IndexOf("dur=", StringComparison.Ordinal);
            if (at >= 0 && double.TryParse(value.AsSpan(at + 4).TrimEnd(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) return ms;
        }
        return null;
    }
}

/// <summary>
/// An analyst signed in to the console the way a person is in production: invited with `centric staff invite`, a password
/// chosen at the invitation link, an authenticator app (its key set here, the codes computed as the app would), and the
/// second factor given at sign-in.
/// </summary>
internal static class AnalystSignIn
{
    private const string Email = "analyst@bench.example";
    private const string Password = "Bench-analyst-2026!";
    // 20 fixed bytes: the authenticator key, as Identity keeps it (base32).
    private static readonly byte[] Key = [.. Enumerable.Range(1, 20).Select(b => (byte)(b * 11))];

    public static async Task<PortalVisitor> SignInAsync(BenchServer server)
    {
        string? link = null;
        var output = new List<string>();
        await server.RunCommandAsync(["staff", "invite", "--email", Email, "--name", "Bench Analyst", "--roles", "Analyst"], line =>
        {
            lock (output) output.Add(line);
            if (line.Contains("/Account/ResetPassword?code=", StringComparison.Ordinal)) link = line.Trim();
        });
        var connection = server.PostgresDatabase!;
        if (link is not null)
        {
            var reset = new PortalVisitor(server.BaseUrl);
            var path = new Uri(link).PathAndQuery;
            var html = await reset.OpenAsync(path);
            var (status, _) = await reset.PostFormAsync(path, "reset-password",
            [
                new("Input.Email", Email), new("Input.Password", Password), new("Input.ConfirmPassword", Password),
                new("Input.Code", WebUtility.HtmlDecode(FormSession.Hidden(html, "Input.Code") ?? "")),
            ]);
            if (status != HttpStatusCode.Redirect) throw new InvalidOperationException($"choosing the analyst's password answered {(int)status}");
            // The authenticator app, set up: its key beside the account, two-factor on.
            await InsightsData.ExecuteAsync(connection, $"""
                UPDATE platform_users SET "TwoFactorEnabled" = true WHERE "NormalizedEmail" = '{Email.ToUpperInvariant()}';
                INSERT INTO platform_user_tokens ("UserId", "LoginProvider", "Name", "Value")
                  SELECT "Id", '[AspNetUserStore]', 'AuthenticatorKey', '{Base32(Key)}' FROM platform_users WHERE "NormalizedEmail" = '{Email.ToUpperInvariant()}'
                  ON CONFLICT ("UserId", "LoginProvider", "Name") DO UPDATE SET "Value" = excluded."Value";
                """);
        }
        else if (!output.Any(l => l.Contains("Not invited", StringComparison.Ordinal)))
            throw new InvalidOperationException("staff invite printed no link: " + string.Join(" | ", output));

        var visitor = new PortalVisitor(server.BaseUrl);
        await visitor.OpenAsync("/Account/Login");
        var (loginStatus, location) = await visitor.PostFormAsync("/Account/Login", "login", [new("Input.Email", Email), new("Input.Password", Password)]);
        if (loginStatus != HttpStatusCode.Redirect || location is null || !location.Contains("LoginWith2fa", StringComparison.Ordinal))
            throw new InvalidOperationException($"the analyst's sign-in answered {(int)loginStatus} {location}");
        var twoFactor = Uri.TryCreate(location, UriKind.Absolute, out var absolute) ? absolute.PathAndQuery : location.StartsWith('/') ? location : "/" + location;
        var page = await visitor.OpenAsync(twoFactor);
        var (secondStatus, after) = await visitor.PostFormAsync(twoFactor, "login-with-2fa",
        [
            new("Input.TwoFactorCode", Totp(Key, TimeProvider.System.GetUtcNow())), new("Input.RememberMachine", "false"),
            new("ReturnUrl", WebUtility.HtmlDecode(FormSession.Hidden(page, "ReturnUrl") ?? "/")),
            new("RememberMe", FormSession.Hidden(page, "RememberMe") ?? "False"),
        ]);
        if (secondStatus != HttpStatusCode.Redirect || after?.Contains("Account/", StringComparison.Ordinal) == true)
            throw new InvalidOperationException($"the analyst's second factor answered {(int)secondStatus} {after}");
        return visitor;
    }

    /// <summary>RFC 6238: six digits from HMAC-SHA1 over the 30-second step, as an authenticator app shows them.</summary>
    private static string Totp(byte[] key, DateTimeOffset now)
    {
        var step = BitConverter.GetBytes(now.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian) Array.Reverse(step);
        // RFC 6238's default, which authenticator apps and ASP.NET Core Identity use.
#pragma warning disable CA5350
        var hash = HMACSHA1.HashData(key, step);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var code = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (code % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static string Base32(byte[] bytes)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new System.Text.StringBuilder();
        for (var bit = 0; bit < bytes.Length * 8; bit += 5)
        {
            var value = 0;
            for (var k = 0; k < 5; k++)
            {
                var b = bit + k;
                value = (value << 1) | (b < bytes.Length * 8 ? (bytes[b / 8] >> (7 - b % 8)) & 1 : 0);
            }
            text.Append(Alphabet[value]);
        }
        return text.ToString();
    }
}
