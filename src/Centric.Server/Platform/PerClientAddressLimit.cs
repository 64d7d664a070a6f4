using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform;

public static class PerClientAddressLimit
{
    /// <summary>
    /// A named rate-limit policy for public endpoints without an API key (widgets, provider webhooks, help search): a
    /// fixed one-minute window per client address, sized from options read on each new window so a change applies live.
    /// Rejections get the platform's 429 ProblemDetails.
    /// </summary>
    public static IServiceCollection AddPerClientAddressLimit<TOptions>(this IServiceCollection services, string policy,
        Func<TOptions, int> permitsPerMinute) where TOptions : class =>
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(policy, http =>
            RateLimitPartition.GetFixedWindowLimiter(policy + ":" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permitsPerMinute(http.RequestServices.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue),
                    Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                })));
}
