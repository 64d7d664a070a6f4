using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Centric.Server.Tests.Infrastructure;

namespace Centric.Server.Tests.Platform;

/// <summary>`centric &lt;command&gt;` in process, against each database.</summary>
public abstract partial class CliTests(CentricAppFactory app)
{
    [SkippableFact]
    public async Task Apikeys_create_makes_a_key_with_its_scopes_and_revoke_stops_it()
    {
        app.SkipIfUnavailable();
        var name = "cli " + Json.NewId()[..8];
        var (code, output, error) = await app.RunCliAsync("apikeys", "create", "--name", name, "--scopes", "admin");
        Assert.True(code == 0, error);
        var secret = Secret().Match(output).Groups[1].Value;
        var id = Regex.Match(output, "Created API key ([0-9a-f-]{36})").Groups[1].Value;
        Assert.StartsWith("ck_", secret, StringComparison.Ordinal);

        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var created = await client.PostAsJsonAsync("/api/v1/apikeys", new { name = "made with the cli key", scopes = new[] { "customers:read" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var (listed, list, _) = await app.RunCliAsync("apikeys", "list");
        Assert.Equal(0, listed);
        Assert.Contains(list.Split('\n'), l => l.StartsWith(id, StringComparison.Ordinal) && l.Contains(name, StringComparison.Ordinal) && l.Contains("active", StringComparison.Ordinal));

        Assert.Equal(0, (await app.RunCliAsync("apikeys", "revoke", id)).ExitCode);
        var refused = await client.PostAsJsonAsync("/api/v1/apikeys", new { name = "after revoking", scopes = new[] { "customers:read" } });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(2, (await app.RunCliAsync("apikeys", "revoke", Guid.NewGuid().ToString())).ExitCode);
    }

    [SkippableFact]
    public async Task A_key_with_a_narrow_scope_is_refused_admin_work_and_an_unknown_scope_is_refused_by_the_cli()
    {
        app.SkipIfUnavailable();
        var (code, output, _) = await app.RunCliAsync("apikeys", "create", "--name", "reader " + Json.NewId()[..8], "--scopes", "customers:read");
        Assert.Equal(0, code);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Secret().Match(output).Groups[1].Value);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/apikeys", new { name = "x", scopes = new[] { "admin" } })).StatusCode);

        var (refused, _, error) = await app.RunCliAsync("apikeys", "create", "--name", "bad", "--scopes", "everything");
        Assert.Equal(2, refused);
        Assert.Contains("Unknown scope 'everything'", error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Staff_invite_creates_the_member_with_their_roles_and_prints_a_link_to_choose_a_password()
    {
        app.SkipIfUnavailable();
        var email = Json.NewEmail();
        var (code, output, error) = await app.RunCliAsync("staff", "invite", "--email", email, "--name", "First Admin");
        Assert.True(code == 0, error);
        Assert.Contains($"Invited {email} as Admin.", output, StringComparison.Ordinal);
        var link = Regex.Match(output, @"/Account/ResetPassword\?code=(\S+)");
        Assert.True(link.Success, output);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Centric.Server.Platform.Identity.CentricUser>>();
            var user = await users.FindByEmailAsync(email);
            Assert.NotNull(user);
            Assert.True(user.IsStaff && user.EmailConfirmed);
            Assert.Equal(new[] { "Admin" }, await users.GetRolesAsync(user));
            // The printed link is a working password-reset token for this person.
            var token = System.Text.Encoding.UTF8.GetString(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(link.Groups[1].Value));
            Assert.True((await users.ResetPasswordAsync(user, token, "Chosen-password-42")).Succeeded);
        }

        // The same person again, an unknown role, or no email: refused (2), or not understood (1).
        var (again, _, taken) = await app.RunCliAsync("staff", "invite", "--email", email);
        Assert.Equal(2, again);
        Assert.Contains("already has an account", taken, StringComparison.Ordinal);
        Assert.Equal(2, (await app.RunCliAsync("staff", "invite", "--email", Json.NewEmail(), "--roles", "Boss")).ExitCode);
        Assert.Equal(1, (await app.RunCliAsync("staff", "invite")).ExitCode);
    }

    [GeneratedRegex(@"Secret \(shown once\): (\S+)")]
    private static partial Regex Secret();
}

public sealed class CliOnSqlite(SqliteApp app) : CliTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class CliOnPostgres(PostgresApp app) : CliTests(app), IClassFixture<PostgresApp>;

/// <summary>The built server with a command line, as an operator runs it: commands exit, only configuration starts the server.</summary>
public sealed class CliProcessTests
{
    private static readonly Dictionary<string, string> Sqlite = new()
    {
        ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(Path.GetTempPath(), "centric-cli-" + Guid.NewGuid().ToString("N") + ".db")}",
    };

    [Fact]
    public async Task An_unknown_command_is_named_and_exits_non_zero_without_starting_the_server()
    {
        var (code, output) = await ServerProcess.RunCommandAsync(Sqlite, "frobnicate", "foo");
        Assert.NotEqual(0, code);
        Assert.Contains("Unknown command 'frobnicate'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistyped_option_is_named_and_exits_non_zero()
    {
        var (code, output) = await ServerProcess.RunCommandAsync(Sqlite, "apikeys", "create", "--nmae", "x");
        Assert.NotEqual(0, code);
        Assert.Contains("'--nmae'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_command_and_each_command_has_its_own()
    {
        var (code, output) = await ServerProcess.RunCommandAsync(Sqlite, "--help");
        Assert.Equal(0, code);
        foreach (var command in new[] { "migrate", "apikeys", "backup", "restore", "help" })
            Assert.Matches($@"(?m)^\s+{command}\s", output);
        var (createCode, create) = await ServerProcess.RunCommandAsync(Sqlite, "apikeys", "create", "--help");
        Assert.Equal(0, createCode);
        Assert.Contains("--scopes", create, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], -1)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5000" }, -1)]
    [InlineData(new[] { "--urls=http://127.0.0.1:5000", "Database:Provider=postgres" }, -1)]
    [InlineData(new[] { "migrate" }, 0)]
    [InlineData(new[] { "Database:Provider=postgres", "--urls", "http://x", "apikeys", "list" }, 3)]
    [InlineData(new[] { "--help" }, 0)]
    [InlineData(new[] { "import", "foo" }, 0)]
    public void The_command_is_the_first_word_configuration_does_not_read(string[] args, int expected) =>
        Assert.Equal(expected, Cli.CommandIndex(args));
}
