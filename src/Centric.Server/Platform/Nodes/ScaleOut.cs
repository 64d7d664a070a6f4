using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Centric.Server.Platform.Nodes;

/// <summary>Where the nodes of one installation meet besides the database: Redis, named by <c>ConnectionStrings:Redis</c>.</summary>
public sealed class ScaleOutOptions
{
    public const string Section = "Redis";

    /// <summary>Starts every Redis channel and key Centric uses, so that several installations can share one Redis.</summary>
    [RegularExpression("^[A-Za-z0-9_.-]{1,40}$", ErrorMessage = "Redis:ChannelPrefix is 1 to 40 letters, digits, '_', '.' or '-'.")]
    public string ChannelPrefix { get; set; } = "centric";
}

/// <summary>
/// Running as several nodes. Most of it needs nothing here: background work is claimed in the database and the live
/// pages are fed from the interaction stream on every node. What Redis adds is the traffic between live connections
/// that never touches the stream — a chat message pushed to the agent on another node, typing, read receipts, who
/// else has a ticket open. Only the hubs that carry such traffic are scaled out (<see cref="ScaleOutHub{THub}"/>): the
/// Blazor circuits stay in-process (they need sticky sessions, not a backplane, and must not depend on Redis), and
/// so do hubs fed only from the stream, which every node already delivers to its own connections.
/// </summary>
internal static class ScaleOut
{
    public static string? RedisConnection(IConfiguration configuration) =>
        configuration.GetConnectionString("Redis") is { Length: > 0 } s ? s : null;

    public static IHostApplicationBuilder AddScaleOut(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ScaleOutOptions>().BindConfiguration(ScaleOutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (RedisConnection(builder.Configuration) is not { } connection) return builder;

        var prefix = builder.Configuration.GetSection(ScaleOutOptions.Section).Get<ScaleOutOptions>()?.ChannelPrefix ?? new ScaleOutOptions().ChannelPrefix;
        // Made by the container, so that it is also disposed by it.
        services.AddSingleton(_ => new SharedRedis(Configure(connection), prefix));
        services.Configure<RedisOptions>(o =>
        {
            o.Configuration = Configure(connection);
            o.Configuration.ChannelPrefix = RedisChannel.Literal(prefix + ":signalr");
        });
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded);
        return builder;
    }

    /// <summary>This hub's group and connection sends reach every node through Redis (when it is configured).</summary>
    public static ISignalRServerBuilder ScaleOutHub<THub>(this ISignalRServerBuilder signalr, IConfiguration configuration) where THub : Hub
    {
        if (RedisConnection(configuration) is not null)
            signalr.Services.AddSingleton<HubLifetimeManager<THub>, RedisHubLifetimeManager<THub>>();
        return signalr;
    }

    /// <summary>
    /// A node starts, and keeps trying, while Redis is away: live traffic between nodes pauses, nothing else does
    /// (the connection string may still say <c>abortConnect=true</c>).
    /// </summary>
    private static ConfigurationOptions Configure(string connection)
    {
        var options = ConfigurationOptions.Parse(connection);
        if (!connection.Contains("abortConnect", StringComparison.OrdinalIgnoreCase)) options.AbortOnConnectFail = false;
        return options;
    }
}

/// <summary>This node's own connection to Redis, for the keys Centric keeps there (the SignalR backplane has its own).</summary>
public sealed class SharedRedis(ConfigurationOptions options, string prefix) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() => ConnectionMultiplexer.ConnectAsync(options));

    /// <summary>A key under the installation's prefix, e.g. <c>centric:presence:T-1042</c>.</summary>
    public RedisKey Key(string name) => prefix + ":" + name;

    public async Task<IDatabase> DatabaseAsync() => (await _connection.Value).GetDatabase();

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated) await (await _connection.Value).DisposeAsync();
    }
}

/// <summary>Degraded, not unhealthy, without Redis: a node still serves everything, only live traffic between nodes waits.</summary>
internal sealed class RedisHealthCheck(SharedRedis redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await (await redis.DatabaseAsync()).PingAsync();
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis does not answer: live chat between nodes waits.", e);
        }
    }
}
