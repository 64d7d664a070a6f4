using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Models;

/// <summary>A version as the console and the CLI list it (the parameters stay in the database).</summary>
public sealed record ModelVersionView(Guid Id, string Kind, int Version, DateTime WindowFrom, DateTime WindowTo, int Rows, int HoldoutRows,
    double? RocAuc, double? LogLoss, double? NdcgAt10, double? LogLikelihood, double? Accuracy, double? ActiveScoreOnHoldout,
    DateTime TrainedAt, bool IsActive, DateTime? ActivatedAt, string Decision, int SizeBytes);

/// <summary>
/// The model registry: records each trained version, promotes it only when it does at least as well as the active one on
/// the same hold-out, and lets staff promote any version or roll back to the one before.
/// </summary>
public sealed class ModelRegistry(CentricDbContext db, AuditLog audit, TimeProvider clock, ILogger<ModelRegistry> logger)
{
    public async Task<IReadOnlyList<ModelVersionView>> ListAsync(ModelKind? kind, CancellationToken ct)
    {
        var q = db.ModelVersions.AsNoTracking();
        if (kind is { } k) q = q.Where(m => m.Kind == k);
        var rows = await q.OrderBy(m => m.Kind).ThenByDescending(m => m.Version)
            .Select(m => new { m.Id, m.Kind, m.Version, m.WindowFrom, m.WindowTo, m.Rows, m.HoldoutRows, m.RocAuc, m.LogLoss, m.NdcgAt10,
                m.LogLikelihood, m.Accuracy, m.ActiveScoreOnHoldout, m.TrainedAt, m.IsActive, m.ActivatedAt, m.Decision, Size = m.Payload.Length })
            .ToListAsync(ct);
        return [.. rows.Select(m => new ModelVersionView(m.Id, m.Kind.Name(), m.Version, m.WindowFrom, m.WindowTo, m.Rows, m.HoldoutRows, m.RocAuc,
            m.LogLoss, m.NdcgAt10, m.LogLikelihood, m.Accuracy, m.ActiveScoreOnHoldout, m.TrainedAt, m.IsActive, m.ActivatedAt, m.Decision, m.Size))];
    }

    /// <summary>The active version's id, number and parameters, or null while none of that kind is active.</summary>
    internal async Task<(Guid Id, int Version, byte[] Payload)?> ActiveAsync(ModelKind kind, CancellationToken ct) =>
        await db.ModelVersions.AsNoTracking().Where(m => m.Kind == kind && m.IsActive).Select(m => new { m.Id, m.Version, m.Payload }).FirstOrDefaultAsync(ct)
            is { } a ? (a.Id, a.Version, a.Payload) : null;

    internal Task<Guid?> ActiveIdAsync(ModelKind kind, CancellationToken ct) =>
        db.ModelVersions.Where(m => m.Kind == kind && m.IsActive).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Keeps a newly trained version, measuring the active one on the same hold-out; promotes the new one unless it scores
    /// worse. Returns the stored version.
    /// </summary>
    internal async Task<ModelVersion> RecordAsync(ModelKind kind, TrainedModel trained, DateTime windowFrom, DateTime windowTo, CancellationToken ct)
    {
        var active = await ActiveAsync(kind, ct);
        ModelQuality? activeQuality = null;
        if (active is { } a)
        {
            try { activeQuality = trained.Measure(a.Payload); }
            catch (Exception e) when (e is Centric.Analytics.AnalyticsException or InvalidDataException or EndOfStreamException)
            {
                activeQuality = null;   // the active version cannot be read back (an older format): the new one replaces it
            }
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var version = new ModelVersion
        {
            Kind = kind, Version = (await db.ModelVersions.Where(m => m.Kind == kind).MaxAsync(m => (int?)m.Version, ct) ?? 0) + 1,
            WindowFrom = windowFrom, WindowTo = windowTo, Rows = trained.Rows, HoldoutRows = trained.HoldoutRows,
            RocAuc = trained.Quality.RocAuc, LogLoss = trained.Quality.LogLoss, NdcgAt10 = trained.Quality.NdcgAt10,
            LogLikelihood = trained.Quality.LogLikelihood, Accuracy = trained.Quality.Accuracy, ActiveScoreOnHoldout = activeQuality?.Score,
            TrainedAt = now, Payload = trained.Payload,
        };
        var promote = active is null || activeQuality is null || trained.Quality.Score >= activeQuality.Score;
        version.Decision = active is null ? "promoted: the first version of its kind"
            : activeQuality is null ? $"promoted: the active version {active.Value.Version} could not be measured"
            : promote ? $"promoted: {trained.Quality.Score:0.0000} on the hold-out, the active version {active.Value.Version} scored {activeQuality.Score:0.0000}"
            : $"kept, not promoted: {trained.Quality.Score:0.0000} on the hold-out, below the active version {active.Value.Version}'s {activeQuality.Score:0.0000}";
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync(ct);
        InsightsLog.ModelTrained(logger, kind.Name(), version.Version, version.Rows, trained.Quality.Describe(), version.Decision);
        if (promote)
        {
            await ActivateAsync(version.Id, "training", "promoted after training", ct);
            await db.Entry(version).ReloadAsync(ct);   // activated by a statement of its own
        }
        return version;
    }

    /// <summary>Makes this version the active one of its kind (staff's "Promote").</summary>
    public async Task<ModelVersionView> PromoteAsync(Guid id, string by, CancellationToken ct)
    {
        if (!await db.ModelVersions.AnyAsync(m => m.Id == id, ct)) throw new DomainException("model-not-found", "No such model version.", 404);
        await ActivateAsync(id, by, "promoted", ct);
        return (await ListAsync(null, ct)).First(v => v.Id == id);
    }

    /// <summary>Goes back to the newest version below the active one that was active before (staff's "Roll back").</summary>
    public async Task<ModelVersionView> RollbackAsync(ModelKind kind, string by, CancellationToken ct)
    {
        var active = await db.ModelVersions.AsNoTracking().Where(m => m.Kind == kind && m.IsActive).Select(m => new { m.Version }).FirstOrDefaultAsync(ct)
            ?? throw new DomainException("no-active-model", $"No {kind.Name()} version is active, so there is nothing to roll back.");
        var previous = await db.ModelVersions.AsNoTracking().Where(m => m.Kind == kind && m.Version < active.Version && m.ActivatedAt != null)
            .OrderByDescending(m => m.Version).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct)
            ?? throw new DomainException("nothing-to-roll-back", $"No earlier {kind.Name()} version was ever active.");
        await ActivateAsync(previous, by, "rolled back", ct);
        return (await ListAsync(null, ct)).First(v => v.Id == previous);
    }

    private async Task ActivateAsync(Guid id, string by, string how, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var v = await db.ModelVersions.AsNoTracking().Where(m => m.Id == id).Select(m => new { m.Kind, m.Version }).FirstAsync(ct);
            // Two statements, in this order: the one-active-per-kind index never sees two.
            await db.ModelVersions.Where(m => m.Kind == v.Kind && m.IsActive && m.Id != id).ExecuteUpdateAsync(u => u.SetProperty(m => m.IsActive, false), ct);
            var now = clock.GetUtcNow().UtcDateTime;
            await db.ModelVersions.Where(m => m.Id == id).ExecuteUpdateAsync(u => u.SetProperty(m => m.IsActive, true).SetProperty(m => m.ActivatedAt, now), ct);
            audit.Record("insights.model." + (how == "rolled back" ? "rollback" : "promote"), details: $"{v.Kind.Name()} version {v.Version} {how} by {by}");
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            InsightsLog.ModelActivated(logger, v.Kind.Name(), v.Version, by, how);
        });
    }
}
