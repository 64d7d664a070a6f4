using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Models;

/// <summary>
/// The active model of each kind, loaded once per version and kept: every call asks the database only which version is
/// active (a promotion or rollback on any node is picked up at once), and reads and loads the payload when that changed.
/// </summary>
internal sealed class ActiveModels
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ModelKind, (Guid Id, int Version, object Model)> _loaded = [];

    public async Task<(T Model, int Version)?> GetAsync<T>(CentricDbContext db, ModelKind kind, Func<Stream, T> load, CancellationToken ct)
        where T : class
    {
        var active = await db.ModelVersions.AsNoTracking().Where(m => m.Kind == kind && m.IsActive)
            .Select(m => new { m.Id, m.Version }).FirstOrDefaultAsync(ct);
        if (active is null) return null;
        lock (_gate)
            if (_loaded.TryGetValue(kind, out var kept) && kept.Id == active.Id && kept.Model is T model) return (model, kept.Version);
        var payload = await db.ModelVersions.AsNoTracking().Where(m => m.Id == active.Id).Select(m => m.Payload).FirstAsync(ct);
        var loaded = load(new MemoryStream(payload));
        lock (_gate) _loaded[kind] = (active.Id, active.Version, loaded);
        return (loaded, active.Version);
    }
}
