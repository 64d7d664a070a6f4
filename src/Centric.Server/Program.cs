using Centric.Server;
using Centric.Server.Commerce;
using Centric.Server.Components;
using Centric.Server.Customers;
using Centric.Server.Engagement;
using Centric.Server.Insights;
using Centric.Server.Personalisation;
using Centric.Server.Platform;
using Centric.Server.Platform.Data;
using Centric.Server.Support;

// `centric <command> ...` runs the command and exits; anything else (`--urls ...`, `Key=Value`) configures the web server.
if (Cli.CommandIndex(args) is var at and >= 0)
{
    WebApplication? host = null;
    try
    {
        return await Cli.RunAsync(args[at..], () => (host ??= Build(args[..at])).Services, Console.Out, Console.Error);
    }
    finally
    {
        if (host is not null) await host.DisposeAsync();
    }
}

var app = Build(args);

await Startup.PrepareAsync(app);

app.UsePlatform();
app.MapStaticAssets();
app.MapPlatformApi();
app.MapCustomersApi();
app.MapCommerceApi();
app.MapSupportApi();
app.MapInsightsApi();
app.MapPersonalisationApi();
app.MapEngagementApi();
app.MapWebUi();

await app.RunAsync();
return 0;

static WebApplication Build(string[] args)
{
    var builder = WebApplication.CreateBuilder(Startup.HostOptions(args));
    // Run from a build (`dotnet run`, any environment) the pages' assets come from the build's manifest: blazor.web.js lives
    // in a framework package, not in wwwroot. A published app has no such manifest, and this does nothing there.
    builder.WebHost.UseStaticWebAssets();
    builder.AddCentricDatabase();
    builder.AddPlatform();
    builder.AddCustomers();
    builder.AddCommerce();
    builder.AddSupport();
    builder.AddInsights();
    builder.AddPersonalisation();
    builder.AddEngagement();
    builder.AddWebUi();
    builder.AddDemoWorld();
    return builder.Build();
}

/// <summary>Visible to the test host.</summary>
public partial class Program;
