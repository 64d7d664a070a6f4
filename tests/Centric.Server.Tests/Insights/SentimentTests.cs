using Centric.Server.Customers.Profiles;
using Centric.Server.Insights.Scores;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Support.Tickets;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Insights;

/// <summary>Sentiment of free text as it arrives, stored beside the interaction and rolled up on the profile.</summary>
public abstract class SentimentTests(string provider)
{
    [SkippableFact]
    public async Task A_negative_chat_message_is_scored_negative_as_it_arrives_and_rolls_up_on_the_profile()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        Guid profile;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var s = scope.ServiceProvider;
            var db = s.GetRequiredService<CentricDbContext>();
            var p = s.GetRequiredService<ProfileDirectory>().Create(ProfileKind.Known);
            profile = p.Id;
            s.GetRequiredService<InteractionLog>().Append(db, profile, InteractionTypes.OrderPlaced, "web",
                new OrderPlacedProperties(Guid.NewGuid(), "S-1", 30m, "EUR", "standard", null, [], []), occurredAt: app.Clock.GetUtcNow().UtcDateTime.AddDays(-3));
            await db.SaveChangesAsync();
            var tickets = s.GetRequiredService<TicketService>();
            var ticket = await tickets.OpenAsync(profile, "Chat", new NewMessage(MessageDirection.Inbound, "chat", "Ana",
                "This is terrible. The parcel arrived broken and nobody helps, I am very angry and disappointed."), null, default);
            await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Outbound, "chat", "Agent", "Sorry to hear that, we will send a new one."), default);
        }
        await app.DispatchAsync("insights.sentiment");

        var scored = await app.WithDbAsync(db => db.TextSentiments.AsNoTracking().Where(t => t.ProfileId == profile).ToListAsync());
        var message = Assert.Single(scored);   // the customer's message; the agent's reply is not the customer's sentiment
        Assert.True(message.Score < 0, $"score {message.Score}");
        Assert.Equal(("negative", "message", "chat", "lexicon"), (message.Label, message.Source, message.Channel, message.Scorer));

        // Handed the same interactions again (at-least-once delivery), nothing is stored twice.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var again = await db.Interactions.AsNoTracking().Where(i => i.ProfileId == profile).ToListAsync();
            await scope.ServiceProvider.GetServices<Centric.Server.Platform.Outbox.IInteractionSubscriber>().Single(x => x.Name == "insights.sentiment").HandleAsync(db, again, default);
            Assert.Equal(1, await db.TextSentiments.CountAsync(t => t.ProfileId == profile));

            Assert.Equal(1, (await scope.ServiceProvider.GetRequiredService<ProfileScoring>().ScoreAllAsync(db, default)).Customers);
        }
        var rolled = await app.WithDbAsync(db => db.ProfileInsights.AsNoTracking().SingleAsync(p => p.ProfileId == profile));
        Assert.Equal(message.Score, rolled.Sentiment!.Value, 6);
    }
}

public sealed class SentimentOnSqlite() : SentimentTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class SentimentOnPostgres() : SentimentTests("postgres");
