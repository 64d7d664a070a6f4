using Centric.Server.Platform.Data;

namespace Centric.Server.Platform.Interactions;

/// <summary>
/// Interactions a server-rendered page records while it renders (a product view, the recommendations it showed), written
/// together in one commit once the page has rendered and before its response ends, so a reader who has the page can read
/// them. A product page is the shop's busiest request, and its parts each committing for themselves cost a transaction
/// apiece (docs/BENCHMARKS.md, "Shop reads at 200 requests a second"). Scoped to the request, so for statically rendered
/// pages only: a component of an interactive circuit records with <see cref="InteractionLog.Append"/> and saves.
/// </summary>
public sealed class PageInteractions(InteractionLog log)
{
    private readonly List<Interaction> _pending = [];

    public void Add<TProperties>(Guid profileId, InteractionType<TProperties> type, string channel, TProperties properties,
        string? sourceKind = null, string? sourceId = null) where TProperties : class
    {
        var interaction = log.Create(profileId, type, channel, properties, sourceKind, sourceId);
        lock (_pending) _pending.Add(interaction);
    }

    /// <summary>Runs the rest of the request, then writes what its page recorded in one unit of work of its own.</summary>
    internal static async Task WriteAfterAsync(HttpContext http, RequestDelegate next)
    {
        await next(http);
        if (http.RequestServices.GetService<PageInteractions>() is not { } page) return;
        Interaction[] written;
        lock (page._pending)
        {
            if (page._pending.Count == 0) return;
            written = [.. page._pending];
            page._pending.Clear();
        }
        try
        {
            // A scope of its own: the page's unit of work may hold changes that were never meant to be saved.
            await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            foreach (var interaction in written) InteractionLog.Add(db, interaction);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is Microsoft.EntityFrameworkCore.DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The page is already on its way to the reader: a page view that cannot be stored (its profile erased meanwhile, the
            // database gone) is logged rather than turned into a broken response.
            http.RequestServices.GetRequiredService<ILogger<PageInteractions>>()
                .LogWarning(e, "{Count} interactions recorded by {Path} were not stored", written.Length, http.Request.Path.Value);
        }
    }
}
