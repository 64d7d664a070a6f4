using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Centric.Server.Customers.Demo;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Centric.Server;

/// <summary>
/// A clock the demo history moves forward by hand. Timers still run in real time (nothing in the history waits on one).
/// </summary>
public sealed class DemoClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock to a moment; it never goes back, so every record is written in the order it happened.</summary>
    public void MoveTo(DateTime utc)
    {
        var at = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        if (at > _now) _now = at;
    }
}

/// <summary>
/// The product's own services wired as in the server, except that their clock is a <see cref="DemoClock"/>: the demo
/// history runs the real checkout, fulfilment, support and subscription code, two years back in time.
/// </summary>
public sealed class DemoWorld(IServiceCollection services)
{
    /// <summary>A container of the server's registrations with the demo clock in place of the system clock; dispose it after use.</summary>
    public ServiceProvider Build(DemoClock clock)
    {
        var copy = new ServiceCollection();
        foreach (var descriptor in services) copy.Add(descriptor);
        copy.RemoveAll<TimeProvider>();
        copy.AddSingleton<TimeProvider>(clock);
        copy.AddSingleton(clock);
        // Thousands of orders and tickets: the services' own information logs would drown the start-up output.
        copy.PostConfigure<LoggerFilterOptions>(o =>
        {
            o.Rules.Clear();
            o.MinLevel = LogLevel.Error;
        });
        // Tens of thousands of small commits, each waiting for the disk, would take minutes: the history commits without
        // waiting for the flush (a crash mid-seed leaves a consistent, partly seeded database; the demo is seeded once).
        copy.ConfigureDbContext<SqliteCentricDbContext>(o => o.AddInterceptors(new UnflushedCommits()));
        copy.ConfigureDbContext<PostgresCentricDbContext>(o => o.AddInterceptors(new UnflushedCommits()));
        return copy.BuildServiceProvider();
    }
}

/// <summary>
/// Commits of the demo history's connections do not wait for the disk (SQLite <c>synchronous=OFF</c>, PostgreSQL
/// <c>synchronous_commit=off</c>); the setting is put back before the connection returns to the pool the server shares.
/// </summary>
internal sealed class UnflushedCommits : DbConnectionInterceptor
{
    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(connection, connection is Microsoft.Data.Sqlite.SqliteConnection ? "PRAGMA synchronous=OFF" : "SET synchronous_commit TO off", cancellationToken);

    public override async ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        // SQLite's default (FULL) is what the server runs with; PostgreSQL goes back to the session's default.
        await ExecuteAsync(connection, connection is Microsoft.Data.Sqlite.SqliteConnection ? "PRAGMA synchronous=FULL" : "RESET synchronous_commit", CancellationToken.None);
        return result;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>The demo business seeded into an empty database (when <c>Database:SeedDemoData</c> is on).</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>
    /// How many days the demo business has existed at the first start: its customers joined and lived their history
    /// within them. Two years by default (seasons, lapsed customers, a year of subscriptions); a shorter history seeds in
    /// a fraction of the time (test servers use one).
    /// </summary>
    [Range(30, DemoSeeder.FullHistoryDays, ErrorMessage = "Demo:HistoryDays must be between 30 and 730.")]
    public int HistoryDays { get; set; } = DemoSeeder.FullHistoryDays;
}

public static class DemoWorldRegistration
{
    /// <summary>Registers <see cref="DemoWorld"/> over the final service collection (including what a test host adds later).</summary>
    public static void AddDemoWorld(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(new DemoWorld(builder.Services));
    }
}
