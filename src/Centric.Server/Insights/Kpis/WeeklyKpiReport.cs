using System.Globalization;
using System.Net;
using Centric.Server.Insights.Pages;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Insights.Kpis;

/// <summary>A member of staff chosen to receive the weekly KPI report (insights_report_recipients).</summary>
public sealed class KpiReportRecipient
{
    public required string UserId { get; set; }
    public DateTime ChosenAt { get; set; }
}

/// <summary>One weekly report sent (insights_report_sends): its week is the key, so two nodes never both send it.</summary>
public sealed class KpiReportSend
{
    public DateOnly WeekStart { get; set; }
    public DateTime SentAt { get; set; }
    public int Recipients { get; set; }
}

/// <summary>
/// The weekly KPI report: every Monday from <see cref="InsightsOptions.ReportAt"/> (UTC), the KPIs of the week just ended
/// (Monday to Monday) against the week before, with the revenue by channel, mailed to the staff an admin chose. A week is
/// claimed by inserting its row first, so with several nodes it goes out once; staff who lost the insights roles since
/// they were chosen get nothing.
/// </summary>
public sealed class WeeklyKpiReport(CentricDbContext db, KpiCatalogue kpis, KpiBreakdowns breakdowns, StaffDirectory staff, MailOutbox mail,
    TimeProvider clock, IOptions<InsightsOptions> options)
{
    private static readonly string[] InsightRoles = [Roles.Admin, Roles.Analyst, Roles.Marketer];

    /// <summary>The Monday the last report due at <paramref name="now"/> starts its week on (the week before this Monday's send time, until then the one before).</summary>
    public DateOnly DueWeek(DateTime now)
    {
        var today = DateOnly.FromDateTime(now);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        if (now < monday.ToDateTime(TimeOnly.FromTimeSpan(options.Value.ReportAt), DateTimeKind.Utc)) monday = monday.AddDays(-7);
        return monday.AddDays(-7);
    }

    /// <summary>Sends the report of the last whole week if it has not gone out yet; the number of mails sent (0 when it had).</summary>
    public async Task<int> SendIfDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var week = DueWeek(now);
        if (await db.KpiReportSends.AnyAsync(s => s.WeekStart == week, ct)) return 0;
        var recipients = await RecipientsAsync(ct);
        db.KpiReportSends.Add(new KpiReportSend { WeekStart = week, SentAt = now, Recipients = recipients.Count });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return 0; }   // another node claimed the week first
        if (recipients.Count == 0) return 0;
        var (subject, html) = await ComposeAsync(week, ct);
        foreach (var to in recipients) await mail.SendAsync(to, subject, html, ct);
        return recipients.Count;
    }

    /// <summary>The chosen staff who may still see insights: their email addresses.</summary>
    public async Task<List<string>> RecipientsAsync(CancellationToken ct)
    {
        var chosen = (await db.KpiReportRecipients.AsNoTracking().Select(r => r.UserId).ToListAsync(ct)).ToHashSet();
        return [.. (await staff.ListAsync(ct)).Where(s => chosen.Contains(s.Id) && !s.LockedOut && s.Roles.Any(InsightRoles.Contains)).Select(s => s.Email)];
    }

    /// <summary>The staff who may receive the report, and whether each is chosen.</summary>
    public async Task<List<(StaffMember Member, bool Chosen)>> CandidatesAsync(CancellationToken ct)
    {
        var chosen = (await db.KpiReportRecipients.AsNoTracking().Select(r => r.UserId).ToListAsync(ct)).ToHashSet();
        return [.. (await staff.ListAsync(ct)).Where(s => s.Roles.Any(InsightRoles.Contains)).OrderBy(s => s.Email).Select(s => (s, chosen.Contains(s.Id)))];
    }

    /// <summary>Makes exactly these staff the recipients (ids that may not receive it are ignored).</summary>
    public async Task ChooseAsync(IReadOnlyCollection<string> userIds, CancellationToken ct)
    {
        var allowed = (await CandidatesAsync(ct)).Select(c => c.Member.Id).Where(userIds.Contains).ToHashSet();
        var current = await db.KpiReportRecipients.ToListAsync(ct);
        db.KpiReportRecipients.RemoveRange(current.Where(r => !allowed.Contains(r.UserId)));
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var id in allowed.Except(current.Select(r => r.UserId))) db.KpiReportRecipients.Add(new KpiReportRecipient { UserId = id, ChosenAt = now });
        await db.SaveChangesAsync(ct);
    }

    public async Task<(string Subject, string Html)> ComposeAsync(DateOnly week, CancellationToken ct)
    {
        var end = week.AddDays(7);
        var values = await kpis.MeasureAsync(week, end, new KpiScope(), ct);
        var channels = await breakdowns.ByChannelAsync(week, end, ct);
        var currency = await kpis.CurrencyAsync(ct);
        var range = $"{week.ToString("d MMM", CultureInfo.InvariantCulture)} – {end.AddDays(-1).ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";
        static string E(string text) => WebUtility.HtmlEncode(text);
        var rows = string.Concat(values.Select(k =>
            $"<tr><td>{E(k.Name)}</td><td style=\"text-align:right\"><b>{E(KpiFormat.Value(k.Value, k.Unit))}</b></td><td>{E(KpiFormat.Compare(k))}</td></tr>"));
        var byChannel = channels.Count == 0 ? "<p>No orders this week.</p>"
            : "<ul>" + string.Concat(channels.Select(c => $"<li>{E(c.Label)}: {E(KpiFormat.Value(c.Revenue, currency))} from {c.Orders} orders</li>")) + "</ul>";
        var link = $"console/insights?from={KpiRange.Text(week)}&to={KpiRange.Text(end)}";
        var html = $"""
            <h1>Your week in customers: {E(range)}</h1>
            <table><thead><tr><th>KPI</th><th>This week</th><th>Against the week before</th></tr></thead><tbody>{rows}</tbody></table>
            <h2>Revenue by channel</h2>{byChannel}
            <p><a href="{link}">Open the KPIs for this week</a></p>
            <p>You get this report because an admin chose you for it in the console (KPIs, Weekly report).</p>
            """;
        return ($"Centric weekly KPIs, {range}", html);
    }
}

/// <summary>Looks for a due weekly report now and then (the send itself is claimed once per week in the database).</summary>
internal sealed class WeeklyKpiReportWorker(IServiceScopeFactory scopes, TimeProvider clock, IOptions<InsightsOptions> options, ILogger<WeeklyKpiReportWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundTraining) return;   // the same switch keeps scheduled insight work off (tests, one-off commands)
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<WeeklyKpiReport>().SendIfDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(WeeklyKpiReportWorker)); }
            try { await Task.Delay(TimeSpan.FromMinutes(5), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
