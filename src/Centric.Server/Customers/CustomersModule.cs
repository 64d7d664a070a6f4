using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Demo;
using Centric.Server.Customers.Events;
using Centric.Server.Customers.Interactions;
using Centric.Server.Customers.Privacy;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Outbox;

namespace Centric.Server.Customers;

internal static class CustomersModule
{
    public static IHostApplicationBuilder AddCustomers(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<InteractionLog>();
        services.AddScoped<ProfileDirectory>();
        services.AddScoped<EventIngestion>();
        services.AddScoped<ConsentService>();
        services.AddScoped<IConsent>(sp => sp.GetRequiredService<ConsentService>());
        services.AddScoped<CustomerQueries>();
        services.AddScoped<ProfileTraits>();
        services.AddScoped<PrivacyService>();
        services.AddScoped<CustomerAccounts>();
        services.AddScoped<DemoSeeder>();
        services.AddSingleton<IInteractionSubscriber, ProfileAggregatesSubscriber>();
        services.AddScoped<Notifications.NotificationCentre>();
        services.AddScoped<Notifications.INotifications>(sp => sp.GetRequiredService<Notifications.NotificationCentre>());
        services.AddSingleton<IPersonalData, Notifications.NotificationPersonalData>();
        services.AddSignalR();
        services.AddSingleton<IInteractionSubscriber, Notifications.NotificationPush>();
        return builder;
    }
}
