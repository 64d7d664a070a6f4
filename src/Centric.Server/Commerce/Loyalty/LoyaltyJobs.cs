using System.Globalization;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Commerce.Loyalty;

/// <summary>
/// The programme's daily work: earned points past their expiry, birthday points, referrals whose return window has passed, and
/// tiers as the 12-month window moves on. Each job is claimed for the day by inserting its <see cref="LoyaltyDailyRun"/> row
/// first, so with several nodes one runs it; every entry it writes is keyed as well, so a job run twice writes nothing twice.
/// </summary>
public sealed class LoyaltyJobs(CentricDbContext db, LoyaltyLedger ledger, Referrals referrals, ProfileTraits traits, TimeProvider clock)
{
    public const string Expiry = "expiry", Birthdays = "birthdays", ReferralSettlement = "referrals", Tiers = "tiers";

    /// <summary>Runs each job not yet run today (UTC) on any node; returns the jobs this call ran.</summary>
    public Task<IReadOnlyList<string>> RunDueAsync(CancellationToken ct) => RunDueAsync([Expiry, Birthdays, ReferralSettlement, Tiers], ct);

    public async Task<IReadOnlyList<string>> RunDueAsync(IReadOnlyList<string> jobs, CancellationToken ct)
    {
        var ran = new List<string>();
        foreach (var job in jobs)
        {
            if (!await ClaimAsync(job, ct)) continue;
            await RunAsync(job, ct);
            ran.Add(job);
        }
        return ran;
    }

    public async Task<int> RunAsync(string job, CancellationToken ct) => job switch
    {
        Expiry => await ExpireAsync(ct),
        Birthdays => await BirthdaysAsync(ct),
        ReferralSettlement => await referrals.SettleAsync(ct),
        _ => await ReviewTiersAsync(ct),
    };

    private async Task<bool> ClaimAsync(string job, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        if (await db.LoyaltyDailyRuns.AnyAsync(r => r.Job == job && r.Day == today, ct)) return false;
        var run = new LoyaltyDailyRun { Job = job, Day = today, RanAt = now };
        db.LoyaltyDailyRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            db.Entry(run).State = EntityState.Detached;   // another node claimed the day first
            return false;
        }
    }

    /// <summary>
    /// Expires what is left of earnings whose expiry has passed since the previous run (a day of slack, so nothing falls between
    /// runs), customer by customer. Returns the points expired.
    /// </summary>
    public async Task<int> ExpireAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var previous = await db.LoyaltyDailyRuns.Where(r => r.Job == Expiry && r.Day < today).MaxAsync(r => (DateOnly?)r.Day, ct);
        var since = previous is { } day ? day.AddDays(-1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : DateTime.MinValue;
        var profiles = await db.LoyaltyEntries
            .Where(e => e.Points > 0 && e.ExpiresAt <= now && e.ExpiresAt > since && !db.LoyaltyEntries.Any(x => x.LotId == e.Id))
            .Select(e => e.ProfileId).Distinct().ToListAsync(ct);
        var expired = 0;
        foreach (var profile in profiles)
        {
            expired += await ledger.ExpireAsync(profile, ct);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        return expired;
    }

    /// <summary>Birthday points for the customers whose "birthday" trait (YYYY-MM-DD or MM-DD) is today; 29 February counts on the 28th in other years.</summary>
    public async Task<int> BirthdaysAsync(CancellationToken ct)
    {
        var program = await ledger.ProgramAsync(ct);
        if (!program.Enabled || program.BirthdayPoints <= 0) return 0;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var suffixes = new List<string> { today.ToString("MM-dd", CultureInfo.InvariantCulture) };
        if (today is { Month: 2, Day: 28 } && !DateTime.IsLeapYear(today.Year)) suffixes.Add("02-29");
        var given = 0;
        foreach (var suffix in suffixes)
            foreach (var (profile, _) in await traits.WithTraitEndingAsync("birthday", suffix, ct))
            {
                if (await ledger.EarnForBirthdayAsync(program, profile, today.Year, ct)) given++;
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
        return given;
    }

    /// <summary>Reviews every member with a tier: one whose last 12 months no longer reach it moves down.</summary>
    public async Task<int> ReviewTiersAsync(CancellationToken ct)
    {
        var program = await ledger.ProgramAsync(ct);
        var members = await db.LoyaltyAccounts.Where(a => a.Tier != null).Select(a => a.ProfileId).ToListAsync(ct);
        foreach (var profile in members)
        {
            await ledger.ReviewTierAsync(profile, program, ct);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        return members.Count;
    }
}

/// <summary>Looks for the day's loyalty jobs every few minutes (each is claimed once a day across nodes).</summary>
internal sealed class LoyaltyDailyWork(IServiceScopeFactory scopes, TimeProvider clock, IOptions<Checkout.CommerceOptions> options, ILogger<LoyaltyDailyWork> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundJobs) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<LoyaltyJobs>().RunDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(LoyaltyDailyWork)); }
            try { await Task.Delay(TimeSpan.FromMinutes(5), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
