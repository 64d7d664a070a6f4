using Centric.Server.Engagement.Contracts;
using Centric.Server.Engagement.Messages;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Engagement.Campaigns;

/// <summary>
/// Sends campaigns: when one's time comes its audience is fixed from the segment, then it is sent in slices no faster than its
/// rate, each slice's messages and recipients' outcomes committed together. A campaign is claimed by one node at a time; the
/// send key (campaign and customer) makes a second send impossible, so a restart mid-send carries on where it stopped,
/// skipping nobody and sending nobody twice. With an A/B test, the test slice goes first and, after the test hours, the rest
/// get the subject that was opened more (then clicked more).
/// </summary>
internal sealed class CampaignRunner(IServiceScopeFactory scopes, IOptionsMonitor<EngagementOptions> options, ILogger<CampaignRunner> logger) : BackgroundService
{
    public const int SliceSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.BackgroundJobs) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await RunOnceAsync(scopes, stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(CampaignRunner)); }
            try { await Task.Delay(options.CurrentValue.JourneyPollInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One round over the due campaigns; returns the messages attempted.</summary>
    public static async Task<int> RunOnceAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        List<Guid> due;
        DateTime now;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            due = await db.Campaigns.AsNoTracking()
                .Where(c => (c.Status == CampaignStatus.Testing || c.Status == CampaignStatus.Sending || (c.Status == CampaignStatus.Scheduled && c.ScheduledAt <= now))
                    && (c.ClaimedUntil == null || c.ClaimedUntil < now))
                .Select(c => c.Id).ToListAsync(ct);
        }
        var attempted = 0;
        foreach (var id in due)
        {
            var token = Guid.NewGuid();
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
                var claimed = await db.Campaigns.Where(c => c.Id == id && (c.ClaimedUntil == null || c.ClaimedUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClaimToken, token).SetProperty(c => c.ClaimedUntil, now.AddMinutes(2)), ct);
                if (claimed == 0) continue;
            }
            try { attempted += await WorkAsync(scopes, id, ct); }
            finally
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<CentricDbContext>().Campaigns.Where(c => c.Id == id && c.ClaimToken == token)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClaimToken, (Guid?)null).SetProperty(c => c.ClaimedUntil, (DateTime?)null), CancellationToken.None);
            }
        }
        return attempted;
    }

    private static async Task<int> WorkAsync(IServiceScopeFactory scopes, Guid id, CancellationToken ct)
    {
        var attempted = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var c = await db.Campaigns.FirstAsync(x => x.Id == id, ct);
            if (c.Status == CampaignStatus.Scheduled)
            {
                await StartAsync(db, c, now, ct);
                continue;
            }
            if (c.Status is not (CampaignStatus.Testing or CampaignStatus.Sending)) return attempted;

            var pending = db.CampaignRecipients.Where(r => r.CampaignId == id && r.Status == RecipientStatus.Pending);
            if (c.Status == CampaignStatus.Testing)
            {
                if (!await pending.AnyAsync(r => r.Variant != "rest", ct))
                {
                    if (now < c.StartedAt!.Value.AddHours(c.TestHours)) return attempted;
                    c.Winner = await WinnerAsync(db, c, ct);
                    c.Status = CampaignStatus.Sending;
                    await db.SaveChangesAsync(ct);
                    continue;
                }
                pending = pending.Where(r => r.Variant != "rest");
            }
            // The throttle: what the rate allows since the last slice, at most one slice.
            var allowance = (int)Math.Min(SliceSize, Math.Floor(c.RatePerMinute * (now - c.SentUpTo!.Value).TotalMinutes));
            if (allowance < 1) return attempted;
            var slice = await pending.OrderBy(r => r.ProfileId).Take(allowance).ToListAsync(ct);
            if (slice.Count == 0)
            {
                (c.Status, c.FinishedAt) = (CampaignStatus.Sent, now);
                await db.SaveChangesAsync(ct);
                return attempted;
            }
            var sender = scope.ServiceProvider.GetRequiredService<IMessageSender>();
            // Thousands of rows are added in one unit of work: changes are detected once, before the save, not at every add.
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var outcomes = await sender.SendManyAsync([.. slice.Select(r => new OutgoingMessage(r.ProfileId, c.Channel, c.Purpose,
                $"campaign:{c.Id:N}:{r.ProfileId:N}", Campaign.MessageSource(c.Id, r.Variant), c.TemplateId,
                r.Variant == "B" || (r.Variant == "rest" && c.Winner == "B") ? c.SubjectB! : c.Subject, c.Body, c.Link,
                new Dictionary<string, string> { ["campaign"] = c.Name }))], ct);
            for (var i = 0; i < slice.Count; i++)
            {
                var r = slice[i];
                r.Status = SendOutcomes.Word(outcomes[i]);
                r.At = now;
            }
            // Time used, not time passed: a slice smaller than the allowance leaves the rest of it for the next round.
            c.SentUpTo = c.SentUpTo.Value.AddMinutes((double)slice.Count / c.RatePerMinute);
            if (c.SentUpTo < now.AddMinutes(-1)) c.SentUpTo = now.AddMinutes(-1);
            // A cancel committed meanwhile wins: the status is the save's concurrency check, so the slice is not stored (nor sent).
            db.ChangeTracker.DetectChanges();
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateConcurrencyException) { return attempted; }
            attempted += slice.Count;
            if (await db.Campaigns.AsNoTracking().AnyAsync(x => x.Id == id && x.Status == CampaignStatus.Cancelled, ct)) return attempted;
        }
    }

    /// <summary>Fixes the audience: the segment's members now, each with their variant.</summary>
    private static async Task StartAsync(CentricDbContext db, Campaign c, DateTime now, CancellationToken ct)
    {
        var members = await db.SegmentMembers.AsNoTracking().Where(m => m.SegmentId == c.SegmentId).Select(m => m.ProfileId).ToListAsync(ct);
        db.CampaignRecipients.AddRange(members.Select(p => new CampaignRecipient
        {
            CampaignId = c.Id, ProfileId = p, Variant = CampaignService.Variant(c.Id, p, c.TestPercent),
        }));
        (c.Audience, c.StartedAt, c.SentUpTo) = (members.Count, now, now.AddMinutes(-1));
        c.Status = c.TestPercent > 0 && members.Count > 0 ? CampaignStatus.Testing : CampaignStatus.Sending;
        await db.SaveChangesAsync(ct);
    }

    private static async Task<string> WinnerAsync(CentricDbContext db, Campaign c, CancellationToken ct)
    {
        async Task<(double Opened, double Clicked)> RateAsync(string variant)
        {
            var source = Campaign.MessageSource(c.Id, variant);
            var rows = await db.EngagementMessages.AsNoTracking().Where(m => m.Source == source)
                .GroupBy(m => 1).Select(g => new { Sent = g.Count(), Opened = g.Count(m => m.OpenedAt != null), Clicked = g.Count(m => m.ClickedAt != null) })
                .FirstOrDefaultAsync(ct);
            return rows is null || rows.Sent == 0 ? (0, 0) : ((double)rows.Opened / rows.Sent, (double)rows.Clicked / rows.Sent);
        }
        var a = await RateAsync("A");
        var b = await RateAsync("B");
        return b.Opened > a.Opened || (b.Opened == a.Opened && b.Clicked > a.Clicked) ? "B" : "A";
    }
}
