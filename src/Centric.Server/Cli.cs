using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server;

/// <summary>
/// `centric &lt;command&gt;` — run as `dotnet run --project src/Centric.Server -- &lt;command&gt;` or the published binary.
/// </summary>
internal static class Cli
{
    private static readonly string[] Commands = ["migrate", "apikeys", "help"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var ct = CancellationToken.None;
        switch (args)
        {
            case ["migrate", ..]:
                await DatabaseSetup.MigrateAsync(app.Services, ct);
                Console.WriteLine("Database is up to date.");
                return 0;
            case ["apikeys", "create", .. var rest]:
            {
                var name = Option(rest, "--name") ?? "cli";
                var scopes = (Option(rest, "--scopes") ?? ApiScopes.Admin).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                await using var scope = app.Services.CreateAsyncScope();
                var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(name, scopes, "cli", ct);
                Console.WriteLine($"Created API key {key.Id} '{key.Name}' with scopes {string.Join(',', key.Scopes)}.");
                Console.WriteLine($"Secret (shown once): {key.Secret}");
                return 0;
            }
            case ["apikeys", "list", ..]:
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
                foreach (var k in await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(ct))
                    Console.WriteLine($"{k.Id}  {k.Prefix}…  {k.Name,-20} {k.Scopes,-40} {(k.RevokedAt is null ? "active" : "revoked")}");
                return 0;
            }
            case ["apikeys", "revoke", var id, ..] when Guid.TryParse(id, out var keyId):
            {
                await using var scope = app.Services.CreateAsyncScope();
                var found = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(keyId, ct);
                Console.WriteLine(found ? "Revoked." : "No such key.");
                return found ? 0 : 1;
            }
            default:
                Console.WriteLine("""
                    usage: centric <command>
                      migrate                                   apply pending database migrations
                      apikeys create --name NAME --scopes a,b   create a key (scopes: events:write, customers:read, customers:write, admin)
                      apikeys list                              list keys
                      apikeys revoke ID                         revoke a key
                    """);
                return args is ["help", ..] ? 0 : 2;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
