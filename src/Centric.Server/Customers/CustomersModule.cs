using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Demo;
using Centric.Server.Customers.Events;
using Centric.Server.Customers.Privacy;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Outbox;
using Centric.Server.Platform.Webhooks;

namespace Centric.Server.Customers;

internal static class CustomersModule
{
    public static IHostApplicationBuilder AddCustomers(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<ProfileDirectory>();
        services.AddScoped<ICustomerDirectory, CustomerDirectory>();
        services.AddScoped<Import.CustomerImport>();
        services.AddScoped<ICustomerImport>(sp => sp.GetRequiredService<Import.CustomerImport>());
        services.AddScoped<Platform.Import.IImporter>(sp => sp.GetRequiredService<Import.CustomerImport>());
        services.AddScoped<IVisitor, Visitor>();
        services.AddSingleton<IWebhookCustomers, WebhookCustomers>();
        services.AddScoped<EventIngestion>();
        services.AddScoped<ConsentService>();
        services.AddScoped<IConsent>(sp => sp.GetRequiredService<ConsentService>());
        services.AddScoped<CustomerQueries>();
        services.AddScoped<ProfileTraits>();
        services.AddScoped<PrivacyService>();
        services.AddScoped<CustomerAccounts>();
        services.AddScoped<ICustomerAccounts>(sp => sp.GetRequiredService<CustomerAccounts>());
        services.AddScoped<DemoSeeder>();
        services.AddInteractionSubscriber<ProfileAggregatesSubscriber>();
        services.AddScoped<Notifications.NotificationCentre>();
        services.AddScoped<INotifications>(sp => sp.GetRequiredService<Notifications.NotificationCentre>());
        services.AddSingleton<IPersonalData, Notifications.NotificationPersonalData>();
        services.AddSignalR();
        services.AddInteractionSubscriber<Notifications.NotificationPush>();
        return builder;
    }
}
