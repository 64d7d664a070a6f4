using Centric.Server;
using Centric.Server.Commerce;
using Centric.Server.Components;
using Centric.Server.Customers;
using Centric.Server.Platform;
using Centric.Server.Platform.Data;
using Centric.Server.Support;

var builder = WebApplication.CreateBuilder(args);

builder.AddCentricDatabase();
builder.AddPlatform();
builder.AddCustomers();
builder.AddCommerce();
builder.AddSupport();
builder.AddWebUi();

var app = builder.Build();

if (Cli.IsCommand(args)) return await Cli.RunAsync(app, args);

await Startup.PrepareAsync(app);

app.UsePlatform();
app.MapStaticAssets();
app.MapPlatformApi();
app.MapCustomersApi();
app.MapCommerceApi();
app.MapSupportApi();
app.MapWebUi();

await app.RunAsync();
return 0;

/// <summary>Visible to the test host.</summary>
public partial class Program;
