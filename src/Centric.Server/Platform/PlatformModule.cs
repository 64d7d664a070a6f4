using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Mail;
using Centric.Server.Platform.Nodes;
using Centric.Server.Platform.Observability;
using Centric.Server.Platform.Outbox;
using Centric.Server.Platform.Webhooks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Centric.Server.Platform;

public sealed class RateLimitOptions
{
    public int SignInPerMinute { get; set; } = 20;
    public int ApiRequestsPerMinute { get; set; } = 6000;
}

internal static class PlatformModule
{
    public static IHostApplicationBuilder AddPlatform(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        services.AddOptions<CentricOptions>().BindConfiguration(CentricOptions.Section).ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits");
        services.AddOptions<DispatcherOptions>().BindConfiguration("Dispatcher");
        services.AddOptions<OutboxRetentionOptions>().BindConfiguration("Outbox");
        services.AddOptions<WebhookOptions>().BindConfiguration("Webhooks");

        if (!builder.Environment.IsDevelopment())
            builder.Logging.ClearProviders().AddJsonConsole(o => o.UseUtcTimestamp = true);

        // Errors are ProblemDetails everywhere, with a stable type: also the bare status codes the framework answers
        // (routing's 404, a challenge's 401) and binding failures, which are thrown so the handler can say what failed.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemTypes.Stabilise);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => InputJson.Configure(o.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(RequestLimits.ConfigureKestrel);

        services.AddDataProtection().SetApplicationName("Centric").PersistKeysToDbContext<CentricDbContext>();

        // Identity: customers and staff share one user store; staff are told apart by role.
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = IdentityConstants.ApplicationScheme;
                o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        // Customers' API tokens: Identity's bearer tokens (data-protected with the shared key ring, so any node reads them),
        // checked against the account on every request by the CustomerToken scheme.
        services.AddAuthentication()
            .AddBearerToken(IdentityConstants.BearerScheme)
            .AddScheme<AuthenticationSchemeOptions, CustomerTokenAuthentication>(CustomerTokenAuthentication.SchemeName, null);
        services.AddIdentityCore<CentricUser>(o =>
            {
                o.SignIn.RequireConfirmedAccount = true;
                o.User.RequireUniqueEmail = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CentricDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        // Sign out everywhere works by rotating the security stamp; other sessions notice within this interval. Each check
        // builds the principal afresh from the store, which knows nothing of how the person signed in: the sign-in's
        // authentication methods (amr=mfa) are carried over, or staff would lose the console a minute after signing in with MFA.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            o.OnRefreshingPrincipal = context =>
            {
                if (context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                    foreach (var amr in context.CurrentPrincipal?.FindAll("amr") ?? [])
                        if (!identity.HasClaim("amr", amr.Value)) identity.AddClaim(new System.Security.Claims.Claim("amr", amr.Value));
                return Task.CompletedTask;
            };
        });
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.AccessDeniedPath = "/Account/AccessDenied";
        });
        // Cookies are Secure on HTTPS requests (the scheme comes from the proxy, see UseForwardedHeaders), and always when
        // the public address is https outside Development, so a stray plain-HTTP request never carries a session.
        var secure = !builder.Environment.IsDevelopment()
            && builder.Configuration[CentricOptions.Section + ":PublicBaseUrl"]?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true
            ? Microsoft.AspNetCore.Http.CookieSecurePolicy.Always : Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        services.ConfigureAll<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(o => o.Cookie.SecurePolicy = secure);
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = secure);
        services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            foreach (var proxy in builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
                o.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            foreach (var network in builder.Configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        services.AddOptions<SmtpOptions>().BindConfiguration("Mail:Smtp").ValidateDataAnnotations()
            .Validate(o => !o.Configured || MimeKit.MailboxAddress.TryParse(o.From, out _), "Mail:Smtp:From must be an address such as \"Shop <news@shop.example>\".")
            .ValidateOnStart();
        services.AddSingleton<MailOutbox>();
        services.AddSingleton<SmtpDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<SmtpDelivery>());
        services.AddSingleton<Seo.PublicAddress>();
        services.AddSingleton<IEmailSender<CentricUser>>(sp => sp.GetRequiredService<MailOutbox>());

        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, StaffMfaHandler>();
        // Every staff policy carries the MFA requirement, so a new console page cannot forget it: admin pages reach
        // customer data too (the mail outbox, the audit log) or mint credentials that do (API keys, webhooks).
        // The one exception is the console's front door, which shows counts only and tells staff how to enrol.
        static void StaffWithMfa(Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder p, params string[] roles) =>
            p.RequireRole(roles).AddRequirements(new StaffMfaRequirement());
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Staff, p => StaffWithMfa(p, Roles.Staff))
            .AddPolicy(Policies.Admin, p => StaffWithMfa(p, Roles.Admin))
            .AddPolicy(Policies.Catalog, p => StaffWithMfa(p, Roles.Admin, Roles.Marketer))
            .AddPolicy(Policies.Personalisation, p => StaffWithMfa(p, Roles.Admin, Roles.Marketer))
            .AddPolicy(Policies.CustomerData, p => StaffWithMfa(p, Roles.Staff))
            .AddPolicy(Policies.SupportMeasures, p => StaffWithMfa(p, Roles.Admin, Roles.Agent, Roles.Analyst))
            .AddPolicy(Policies.Models, p => StaffWithMfa(p, Roles.Admin, Roles.Analyst))
            .AddPolicy(Policies.Insights, p => StaffWithMfa(p, Roles.Admin, Roles.Analyst, Roles.Marketer))
            .AddPolicy(Policies.Segments, p => StaffWithMfa(p, Roles.Admin, Roles.Marketer))
            .AddPolicy(Policies.Messages, p => StaffWithMfa(p, Roles.Admin, Roles.Marketer))
            .AddPolicy(Policies.Surveys, p => StaffWithMfa(p, Roles.Admin, Roles.Marketer))
            .AddPolicy(Policies.Promotions, p => StaffWithMfa(p, Roles.Admin, Roles.Marketer))
            .AddPolicy(Policies.Loyalty, p => StaffWithMfa(p, Roles.Admin, Roles.Marketer))
            .AddPolicy(Policies.LoyaltyMembers, p => StaffWithMfa(p, Roles.Admin, Roles.Marketer, Roles.Agent))
            .AddPolicy(Policies.ConsoleEntrance, p => p.RequireRole(Roles.Staff))
            .AddPolicy(Policies.Customer, p => p.AddAuthenticationSchemes(CustomerTokenAuthentication.SchemeName)
                .RequireAuthenticatedUser().RequireClaim(CustomerPrincipal.ProfileClaim));
        foreach (var scope in ApiScopes.All)
        {
            services.AddAuthorizationBuilder().AddPolicy("scope:" + scope, p => p
                .AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.HasClaim(ApiKeyAuthentication.ScopeClaim, scope) || c.User.HasClaim(ApiKeyAuthentication.ScopeClaim, ApiScopes.Admin)));
        }

        services.AddSingleton<Signing.InboundWebhooks>();
        services.AddScoped<AuditLog>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<WebhookAdmin>();
        services.AddScoped<DeadLetterAdmin>();
        services.AddScoped<StaffDirectory>();
        services.AddScoped<CustomerSignIn>();
        services.AddScoped<IdempotencyKeys>();

        // The interaction stream and its subscribers.
        services.AddSingleton<Interactions.InteractionLog>();
        services.AddScoped<Interactions.PageInteractions>();
        services.AddSingleton<InteractionDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<InteractionDispatcher>());
        services.AddSingleton<OutboxPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxPruner>());
        services.AddInteractionSubscriber<WebhookFanout>();
        services.AddSingleton<WebhookSender>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookSender>());
        services.AddHttpClient(WebhookSender.HttpClientName, c => c.DefaultRequestHeaders.UserAgent.ParseAdd("Centric-Webhooks/1.0"))
            // Connects directly (no proxy) and only to addresses WebhookTargets allows, checked after DNS resolution.
            // Connections are kept alive and reused across deliveries; a pooled connection is retired after a few
            // minutes, so a receiver's new DNS answer is picked up (and checked again) without rebuilding the handler.
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, UseProxy = false,
                ConnectCallback = WebhookTargets.Connect(sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<WebhookOptions>>()),
                MaxConnectionsPerServer = Math.Max(1, sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value.MaxConnectionsPerServer),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(GlobalPartition);
            o.OnRejected = async (context, ct) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? (int)Math.Ceiling(retry.TotalSeconds) : 60;
                context.HttpContext.Response.StatusCode = 429;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = 429, Type = ProblemTypes.RateLimited, Title = "Too many requests.",
                        Detail = $"Try again in {seconds} seconds.",
                    },
                });
            };
        });

        services.AddOpenApi(ApiSecurityDocument.Configure);
        builder.AddObservability();
        builder.AddScaleOut();
        return builder;
    }

    private const string ApiClientItem = "centric:rate-limit-key";

    /// <summary>Sign-in and registration posts are limited per client address; the API per key or customer (or address).</summary>
    private static RateLimitPartition<string> GlobalPartition(HttpContext http)
    {
        var limits = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<RateLimitOptions>>().CurrentValue;
        var path = http.Request.Path;
        var ip = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (HttpMethods.IsPost(http.Request.Method) &&
            (path.StartsWithSegments("/Account/Login") || path.StartsWithSegments("/Account/Register")
             || path.StartsWithSegments("/Account/LoginWith2fa") || path.StartsWithSegments("/Account/LoginWithRecoveryCode")
             || path.StartsWithSegments("/Account/ForgotPassword")
             || path.StartsWithSegments("/api/v1/auth/login") || path.StartsWithSegments("/api/v1/auth/refresh")))
        {
            return RateLimitPartition.GetFixedWindowLimiter("signin:" + ip, _ => new FixedWindowRateLimiterOptions
            { PermitLimit = limits.SignInPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        }
        if (path.StartsWithSegments("/api"))
        {
            // A key or a customer that authenticated counts on its own; anything else (no key, a made-up one) on the client
            // address, so rotating invented tokens does not escape the limit.
            var key = http.Items[ApiClientItem] is string id ? id : "ip:" + ip;
            return RateLimitPartition.GetFixedWindowLimiter("api:" + key, _ => new FixedWindowRateLimiterOptions
            { PermitLimit = limits.ApiRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
        }
        return RateLimitPartition.GetNoLimiter("none");
    }

    /// <summary>What the pages may run: scripts from this site only, no plugins, no foreign base URL, framed only by this site.</summary>
    public const string ContentSecurityPolicy = "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

    public static WebApplication UsePlatform(this WebApplication app)
    {
        // Opt-in (Diagnostics:ServerTiming) for benchmarks: time spent in the app per request, as a standard
        // Server-Timing header, so a client can tell server time from network and client overhead.
        if (app.Configuration.GetValue<bool>("Diagnostics:ServerTiming"))
        {
            app.Use((http, next) =>
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                http.Response.OnStarting(() =>
                {
                    var ms = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    http.Response.Headers["Server-Timing"] = "app;dur=" + ms.ToString("0.###", CultureInfo.InvariantCulture);
                    return Task.CompletedTask;
                });
                return next(http);
            });
        }
        // Behind a TLS-terminating proxy: the client's address and scheme from X-Forwarded-For/-Proto, trusted only from the
        // configured proxies (ForwardedHeaders:KnownProxies / KnownNetworks; loopback by default). Rate limits per client
        // address and Secure cookies depend on it.
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.Use((http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                // Scripts only from this site (every page script is a file). A response with a policy of its own (a chat file's
                // sandbox) keeps it; Blazor's frame-ancestors-only policy is included in ours. Swagger UI is a third-party page
                // with its own inline bootstrap, so it is left alone.
                var existing = headers.ContentSecurityPolicy.ToString();
                if ((existing.Length == 0 || existing == "frame-ancestors 'self'") && !http.Request.Path.StartsWithSegments("/swagger"))
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                return Task.CompletedTask;
            });
            return next(http);
        });
        app.UseErrorPages();
        app.Use(RequestLimits.CheckAsync);
        // Endpoints opt in with RequireCors (the chat widget embedded on other websites); everything else stays same-origin.
        app.UseCors();
        app.UseAuthentication();
        // The API's rate limit is per key or customer, so the credential is checked first (each handler caches its result
        // for the endpoint's own check). Its shape says which kind it is (see CustomerTokenAuthentication).
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/api") && CustomerTokenAuthentication.BearerCredential(http.Request) is { } credential)
            {
                if (!CustomerTokenAuthentication.IsCustomerToken(credential))
                {
                    if (await http.AuthenticateAsync(ApiKeyAuthentication.SchemeName) is { Succeeded: true } key
                        && key.Principal.FindFirst(ApiKeyAuthentication.KeyIdClaim)?.Value is { } keyId)
                        http.Items[ApiClientItem] = "key:" + keyId;
                }
                else if (await http.AuthenticateAsync(CustomerTokenAuthentication.SchemeName) is { Succeeded: true } customer
                         && customer.Principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } userId)
                    http.Items[ApiClientItem] = "customer:" + userId;
            }
            await next(http);
        });
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.Use(FailedAntiforgery.AnswerAsync);
        app.Use(Interactions.PageInteractions.WriteAfterAsync);
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "Centric API v1");
            o.RoutePrefix = "swagger";
            o.DocumentTitle = "Centric API";
        });
        return app;
    }

    public static IEndpointRouteBuilder MapPlatformApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = ObservabilityModule.WriteAsync,
        }).DisableRateLimiting();
        app.MapObservability();
        app.MapOpenApi("/openapi/{documentName}.json");
        AdminApi.Map(app);
        app.MapCustomerAuthApi();
        Seo.SearchEngineFiles.MapSearchEngineFiles(app);
        return app;
    }
}

internal sealed class DatabaseHealthCheck(CentricDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("database unreachable");
}
