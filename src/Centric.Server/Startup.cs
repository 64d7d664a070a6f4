using Centric.Server.Customers.Demo;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server;

/// <summary>What happens before the first request: migrations, roles, the bootstrap key and the demo business.</summary>
internal static class Startup
{
    /// <summary>
    /// Where the app finds its settings and assets. A published app started from another directory (a service manager
    /// running `dotnet /opt/centric/Centric.Server.dll` without a working directory) uses its own folder rather than the
    /// current one, which holds neither appsettings.json nor wwwroot. An explicit content root (`--contentRoot`,
    /// ASPNETCORE_CONTENTROOT) still wins, and `dotnet run` keeps the project folder.
    /// </summary>
    public static WebApplicationOptions HostOptions(string[] args)
    {
        var current = Directory.GetCurrentDirectory();
        var own = AppContext.BaseDirectory;
        var explicitRoot = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        var useOwn = !explicitRoot && !File.Exists(Path.Combine(current, "appsettings.json"))
            && File.Exists(Path.Combine(own, "appsettings.json")) && Directory.Exists(Path.Combine(own, "wwwroot"));
        return new WebApplicationOptions { Args = args, ContentRootPath = useOwn ? own : null };
    }

    public static async Task PrepareAsync(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Centric.Startup");
        // A newcomer's first `dotnet run` spends a while here: say what is happening, and when it is ready.
        if (options.MigrateOnStartup)
        {
            Console.WriteLine($"Centric: preparing the {options.Provider} database (migrations)...");
            await DatabaseSetup.MigrateAsync(app.Services, CancellationToken.None);
            Platform.Log.Migrated(logger, options.Provider);
        }

        LogInboundChannelsOff(app, logger);

        await using var scope = app.Services.CreateAsyncScope();
        await Platform.Identity.Roles.EnsureAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>());

        var bootstrap = Environment.GetEnvironmentVariable("CENTRIC_BOOTSTRAP_API_KEY") ?? app.Configuration["CENTRIC_BOOTSTRAP_API_KEY"];
        if (await scope.ServiceProvider.GetRequiredService<ApiKeyService>().EnsureBootstrapKeyAsync(bootstrap, CancellationToken.None) is { } keyId)
            Platform.Log.BootstrapKeyCreated(logger, keyId);

        if (options.SeedDemoData) await scope.ServiceProvider.GetRequiredService<Commerce.Catalog.DemoCatalog>().SeedIfEmptyAsync(CancellationToken.None);
        var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
        var historyDays = app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.HistoryDays;
        if (options.SeedDemoData && await seeder.SeedIfEmptyAsync(historyDays, CancellationToken.None))
        {
            await scope.ServiceProvider.GetRequiredService<Support.SupportDemo>().SeedIfEmptyAsync(CancellationToken.None);
            var span = historyDays == DemoSeeder.FullHistoryDays ? "two years" : $"{historyDays} days";
            Console.WriteLine($"Centric: seeding {span} of demo history (orders, deliveries, returns, subscriptions, support); this takes a few minutes the first time...");
            var (orders, tickets) = await DemoHistory.RunAsync(app.Services.GetRequiredService<DemoWorld>(), seeder.Customers,
                app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, historyDays, logger, CancellationToken.None);
            Console.WriteLine($"Centric: demo business seeded: {seeder.Customers.Count} customers, {orders} orders, {tickets} tickets.");
            // The demo's customers get their scores (lifetime value, churn risk, deciles) from models trained on this
            // history in the background, as the nightly training would, rather than waiting for the first night.
            var training = scope.ServiceProvider.GetRequiredService<Insights.Models.TrainingRuns>();
            foreach (var kind in new[] { Insights.Models.ModelKind.Clv, Insights.Models.ModelKind.Churn, Insights.Models.ModelKind.Recommendations })
                await training.RequestAsync(kind, "demo", "Centric demo", CancellationToken.None);
            // The home page's recommendations run as an A/B test (model against popular products), so the console shows both arms.
            await scope.ServiceProvider.GetRequiredService<Personalisation.Recommendations.PersonalisationSettings>()
                .SetModeAsync(Personalisation.Recommendations.Placement.Home.Key, Personalisation.PlacementMode.Split, "Centric demo", CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<Engagement.Segments.DemoSegments>().SeedIfEmptyAsync(CancellationToken.None);
            // The shipped journeys are off by default and live in the demo: what a visitor does from now on walks them.
            var journeys = scope.ServiceProvider.GetRequiredService<Engagement.Journeys.JourneyService>();
            foreach (var journey in await journeys.ListAsync(CancellationToken.None))
                await journeys.PublishAsync(journey.Id, "Centric demo", CancellationToken.None);
            var walks = await Engagement.Journeys.DemoJourneys.PlayAsync(app.Services.GetRequiredService<DemoWorld>(),
                app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, Math.Min(14, historyDays), CancellationToken.None);
            Console.WriteLine($"Centric: the demo's journeys walked {walks} customers through the last two weeks.");
            // A newsletter to recent buyers, sent by the campaign runner as the server starts.
            if (await scope.ServiceProvider.GetRequiredService<CentricDbContext>().Segments.Where(s => s.Name == "Bought in the last 30 days").Select(s => (Guid?)s.Id)
                    .FirstOrDefaultAsync() is { } recent)
            {
                var campaigns = scope.ServiceProvider.GetRequiredService<Engagement.Campaigns.CampaignService>();
                var newsletter = await campaigns.CreateAsync(new Engagement.Campaigns.NewCampaign("Autumn newsletter", recent, "email", "marketing", null,
                    "New in this autumn", "Your autumn picks are here", "Warm colours and new arrivals, picked for our recent customers.", "/shop",
                    20, 2, 600), "Centric demo", CancellationToken.None);
                await campaigns.ScheduleAsync(newsletter.Id, null, CancellationToken.None);
            }
            await scope.ServiceProvider.GetRequiredService<Engagement.Templates.DemoTemplates>().SeedIfEmptyAsync(CancellationToken.None);
        }
        // The demo's accounts exist only in a seeded demo database; they are printed for the person who just ran it.
        var demo = options.SeedDemoData
            && await scope.ServiceProvider.GetRequiredService<UserManager<CentricUser>>().FindByEmailAsync(DemoSeeder.Logins[0].Email) is not null;
        app.Lifetime.ApplicationStarted.Register(() => SayReady(app, demo));
    }

    private static void SayReady(WebApplication app, bool demo)
    {
        var addresses = app.Services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        var url = addresses?.FirstOrDefault()?.Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal).TrimEnd('/');
        if (url is null) return;   // the test host has no addresses
        Console.WriteLine();
        Console.WriteLine($"Centric is ready at {url}   shop: {url}/   staff console: {url}/console   help centre: {url}/help");
        if (demo)
        {
            Console.WriteLine($"Demo sign-ins ({url}/Account/Login):");
            foreach (var login in DemoSeeder.Logins)
                Console.WriteLine($"  {login.Role,-9} {login.Email,-26} password: {login.Password}");
        }
        Console.WriteLine();
    }

    /// <summary>Each provider webhook without a usable secret answers 404; say so once at start, so an operator is not left guessing.</summary>
    private static void LogInboundChannelsOff(WebApplication app, ILogger logger)
    {
        var webhooks = app.Services.GetRequiredService<Platform.Signing.InboundWebhooks>();
        var carriers = app.Services.GetRequiredService<IOptions<Commerce.Shipments.CarrierOptions>>().Value.Secrets;
        var channels = new List<(string Channel, string Setting, string? Secret)>
        {
            ("inbound email", "Support:InboundSecret", app.Services.GetRequiredService<IOptions<Support.Email.SupportOptions>>().Value.InboundSecret),
            ("messaging", "Support:Messaging:InboundSecret", app.Services.GetRequiredService<IOptions<Support.Messaging.MessagingOptions>>().Value.InboundSecret),
            ("telephony", "Support:Chat:TelephonySecret", app.Services.GetRequiredService<IOptions<Support.Chat.ChatOptions>>().Value.TelephonySecret),
        };
        foreach (var carrier in carriers.Keys.Append("simulator").Distinct(StringComparer.OrdinalIgnoreCase))
            channels.Add(($"carrier '{carrier}'", $"Carriers:Secrets:{carrier}", carriers.GetValueOrDefault(carrier)));
        foreach (var (channel, setting, secret) in channels)
            if (webhooks.SecretOrNull(secret) is null) Platform.Log.InboundChannelOff(logger, channel, setting);
    }
}
