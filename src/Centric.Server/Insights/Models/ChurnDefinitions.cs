using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Insights.Models;

/// <summary>
/// The business's churn definition as staff saved it (insights_churn_definition, one row): until someone saves one, the
/// configured <see cref="InsightsOptions.ChurnHorizonDays"/> with no rule for cancellations.
/// </summary>
public sealed class ChurnDefinition
{
    public int Id { get; set; } = 1;
    public int HorizonDays { get; set; }
    public bool CancellationIsChurn { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

/// <summary>
/// When a customer counts as churned: in the <see cref="HorizonDays"/> after a cut-off they placed no order (a renewal
/// counts as one) and had no active subscription at the end; and, when <see cref="CancellationIsChurn"/>, also when they
/// cancelled a subscription in those days, whatever else they did.
/// </summary>
public sealed record ChurnRule(int HorizonDays, bool CancellationIsChurn, DateTime? UpdatedAt = null, string? UpdatedBy = null)
{
    public const int MinDays = 7, MaxDays = 730;

    internal bool Churned(CustomerHistory h, DateTime cutOff)
    {
        var end = cutOff.AddDays(HorizonDays);
        if (CancellationIsChurn && h.Subscriptions.Any(s => !s.Active && s.At >= cutOff && s.At < end)) return true;
        return !h.Orders.Any(o => o.At >= cutOff && o.At < end) && !h.HasActiveSubscription(end);
    }
}

/// <summary>Reads and saves the churn definition; a change takes effect at the next churn training.</summary>
public sealed class ChurnDefinitions(CentricDbContext db, IOptions<InsightsOptions> options, TimeProvider clock)
{
    public async Task<ChurnRule> CurrentAsync(CancellationToken ct) =>
        await db.ChurnDefinitions.AsNoTracking().Select(d => new ChurnRule(d.HorizonDays, d.CancellationIsChurn, d.UpdatedAt, d.UpdatedBy)).FirstOrDefaultAsync(ct)
        ?? new ChurnRule(options.Value.ChurnHorizonDays, false);

    public async Task<ChurnRule> SaveAsync(int horizonDays, bool cancellationIsChurn, string by, CancellationToken ct)
    {
        if (horizonDays is < ChurnRule.MinDays or > ChurnRule.MaxDays)
            throw RequestValidationException.For("horizonDays", $"A number of days from {ChurnRule.MinDays} to {ChurnRule.MaxDays}.");
        var row = await db.ChurnDefinitions.FirstOrDefaultAsync(ct);
        if (row is null) db.ChurnDefinitions.Add(row = new ChurnDefinition { UpdatedBy = by });
        (row.HorizonDays, row.CancellationIsChurn, row.UpdatedAt, row.UpdatedBy) = (horizonDays, cancellationIsChurn, clock.GetUtcNow().UtcDateTime, by);
        await db.SaveChangesAsync(ct);
        return new ChurnRule(row.HorizonDays, row.CancellationIsChurn, row.UpdatedAt, row.UpdatedBy);
    }
}
