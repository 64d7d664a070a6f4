using System.CommandLine;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server;

/// <summary>
/// `centric &lt;command&gt;` — run as `dotnet run --project src/Centric.Server -- &lt;command&gt;` or the published binary.
/// Arguments before the command configure the host as for the server (`Key=Value`, `--Key=Value`, `--Key Value`).
/// </summary>
internal static class Cli
{
    private static readonly string[] HelpWords = ["--help", "-h", "-?", "--version"];

    /// <summary>
    /// Where the command starts in <paramref name="args"/>, or -1 when they only configure the web server. The command is
    /// the first word that ASP.NET Core's command-line configuration would not read: not `Key=Value`, not starting with
    /// '-', and not the value of a `--Key Value` pair before it. `--help` alone asks for the commands.
    /// </summary>
    public static int CommandIndex(IReadOnlyList<string> args)
    {
        if (args.Count > 0 && HelpWords.Contains(args[0], StringComparer.Ordinal)) return 0;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.Contains('=', StringComparison.Ordinal)) continue;
            if (arg.StartsWith('-'))
            {
                if (i + 1 < args.Count && !args[i + 1].StartsWith('-')) i++;   // `--urls http://...`: the next word is its value
                continue;
            }
            return i;
        }
        return -1;
    }

    /// <summary>
    /// Parses and runs one command. <paramref name="services"/> builds the host on first use, so `--help` and a mistyped
    /// command answer at once. Exit codes: 0 done, 1 a parse error (unknown command or option), 2 refused (bad input).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Func<IServiceProvider> services, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var root = Define(services);
        if (args.Length > 0 && !args[0].StartsWith('-') && !root.Subcommands.Any(c => c.Name == args[0]))
        {
            // Said plainly, before the parser's suggestions for every word that follows.
            await error.WriteLineAsync($"Unknown command '{args[0]}'. Commands: {string.Join(", ", root.Subcommands.Select(c => c.Name))}; `--help` explains each.");
            return 1;
        }
        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct);
    }

    private static RootCommand Define(Func<IServiceProvider> services)
    {
        var root = new RootCommand("Centric: run without a command to start the web server; with one, do that and exit.");

        var migrate = new Command("migrate", "Apply pending database migrations (creating the PostgreSQL database if it is missing).");
        migrate.SetAction(async (result, ct) =>
        {
            await DatabaseSetup.MigrateAsync(services(), ct);
            await result.InvocationConfiguration.Output.WriteLineAsync("Database is up to date.");
            return 0;
        });
        root.Subcommands.Add(migrate);

        root.Subcommands.Add(ApiKeysCommand(services));
        root.Subcommands.Add(Platform.Identity.StaffCommand.Define(services));
        root.Subcommands.Add(Insights.Models.ModelsCommand.Define(services));
        root.Subcommands.Add(Platform.Import.ImportCommand.Define(services));
        root.Subcommands.Add(BackupCommand(services));
        root.Subcommands.Add(RestoreCommand(services));

        var help = new Command("help", "Show the commands and their options.");
        help.SetAction((result, ct) => root.Parse(["--help"]).InvokeAsync(result.InvocationConfiguration, ct));
        root.Subcommands.Add(help);
        return root;
    }

    private static Command BackupCommand(Func<IServiceProvider> services)
    {
        var output = new Option<string>("--output", "-o") { Description = "The backup file to write (a new file).", Required = true };
        var backup = new Command("backup", "SQLite: copy the database to a file while the server keeps running. PostgreSQL: print the pg_dump command.") { output };
        backup.SetAction((result, ct) => WithDatabaseAsync(services, result, (db, connection) =>
        {
            if (db.IsPostgres) throw new BackupRefusedException(DatabaseBackup.PostgresGuidance(connection, result.GetValue(output), restore: false));
            return $"Backed up to {DatabaseBackup.BackupSqlite(connection, result.GetRequiredValue(output))}.";
        }));
        return backup;
    }

    private static Command RestoreCommand(Func<IServiceProvider> services)
    {
        var input = new Option<string>("--input", "-i") { Description = "The backup file to restore.", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace a database that already holds data." };
        var restore = new Command("restore", "SQLite: replace the database with a backup; stop the server first. PostgreSQL: print the pg_restore command.") { input, force };
        restore.SetAction((result, ct) => WithDatabaseAsync(services, result, (db, connection) =>
        {
            if (db.IsPostgres) throw new BackupRefusedException(DatabaseBackup.PostgresGuidance(connection, result.GetValue(input), restore: true));
            var restored = DatabaseBackup.RestoreSqlite(connection, result.GetRequiredValue(input), result.GetValue(force));
            return $"Restored {Path.GetFullPath(result.GetRequiredValue(input))} into {restored}. Start the server: it applies any newer migrations.";
        }));
        return restore;
    }

    /// <summary>Runs a backup or restore step against the configured database: its message on success (0), or why not (2).</summary>
    private static async Task<int> WithDatabaseAsync(Func<IServiceProvider> services, ParseResult result, Func<CentricDbContext, string, string> work)
    {
        await using var scope = services().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        try
        {
            await result.InvocationConfiguration.Output.WriteLineAsync(work(db, db.Database.GetConnectionString()!));
            return 0;
        }
        catch (BackupRefusedException e)
        {
            await result.InvocationConfiguration.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static Command ApiKeysCommand(Func<IServiceProvider> services)
    {
        var apikeys = new Command("apikeys", "Create, list and revoke API keys.");

        var name = new Option<string>("--name") { Description = "A name that says who uses the key.", DefaultValueFactory = _ => "cli" };
        var scopes = new Option<string>("--scopes")
        {
            Description = $"Comma-separated scopes: {string.Join(", ", ApiScopes.All)}.", DefaultValueFactory = _ => ApiScopes.Admin,
        };
        var create = new Command("create", "Create a key and print its secret (shown once).") { name, scopes };
        create.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            await using var scope = services().CreateAsyncScope();
            try
            {
                var key = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(result.GetRequiredValue(name),
                    result.GetRequiredValue(scopes).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), "cli", ct);
                await output.WriteLineAsync($"Created API key {key.Id} '{key.Name}' with scopes {string.Join(',', key.Scopes)}.");
                await output.WriteLineAsync($"Secret (shown once): {key.Secret}");
                return 0;
            }
            catch (RequestValidationException e)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync(e.Message);
                return 2;
            }
        });

        var list = new Command("list", "List the keys: id, prefix, name, scopes and whether they are active.");
        list.SetAction(async (result, ct) =>
        {
            await using var scope = services().CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            foreach (var k in await db.ApiKeys.AsNoTracking().OrderBy(k => k.CreatedAt).ToListAsync(ct))
                await result.InvocationConfiguration.Output.WriteLineAsync(
                    $"{k.Id}  {k.Prefix}…  {k.Name,-20} {k.Scopes,-40} {(k.RevokedAt is null ? "active" : "revoked")}");
            return 0;
        });

        var id = new Argument<Guid>("id") { Description = "The key's id, as `apikeys list` shows it." };
        var revoke = new Command("revoke", "Revoke a key: requests with it are refused from now on.") { id };
        revoke.SetAction(async (result, ct) =>
        {
            await using var scope = services().CreateAsyncScope();
            var found = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RevokeAsync(result.GetValue(id), ct);
            if (found) await result.InvocationConfiguration.Output.WriteLineAsync("Revoked.");
            else await result.InvocationConfiguration.Error.WriteLineAsync("No such key.");
            return found ? 0 : 2;
        });

        apikeys.Subcommands.Add(create);
        apikeys.Subcommands.Add(list);
        apikeys.Subcommands.Add(revoke);
        return apikeys;
    }
}
