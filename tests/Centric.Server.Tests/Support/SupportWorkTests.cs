using System.Net;
using System.Text.Json;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Interactions;
using Centric.Server.Support.Automation;
using Centric.Server.Support.Knowledge;
using Centric.Server.Support.Measures;
using Centric.Server.Support.Routing;
using Centric.Server.Support.Sla;
using Centric.Server.Support.Tickets;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Support;

/// <summary>
/// Routing, SLA clock, automation and measures, stepped through with a fake clock. Queues, rules and policies are
/// global, so each test uses its own queue keys, keywords and customer tier; the one business calendar is set by
/// every test that depends on it (tests of a class run one after another).
/// </summary>
public abstract class SupportWorkTests(SupportWorkApp app)
{
    private const string AlwaysOpen = "mon 00:00-24:00; tue 00:00-24:00; wed 00:00-24:00; thu 00:00-24:00; fri 00:00-24:00; sat 00:00-24:00; sun 00:00-24:00";

    private static string Iso(DateTime day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Unique() => Guid.NewGuid().ToString("N")[..8];

    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    private void Advance(TimeSpan by) => app.Clock.Advance(by);

    /// <summary>Moves the clock forward to the next <paramref name="day"/> at <paramref name="hour"/> UTC, at least a day ahead.</summary>
    private void AdvanceTo(DayOfWeek day, int hour)
    {
        var target = Now.Date.AddDays(1).AddHours(hour);
        while (target.DayOfWeek != day) target = target.AddDays(1);
        app.Clock.SetUtcNow(new DateTimeOffset(target, TimeSpan.Zero));
    }

    /// <summary>The support work subscriber starts at the end of the stream, so it is started before a test writes anything.</summary>
    private Task DispatchAsync() => app.DispatchAsync("support.work");

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private async Task InScopeAsync(Func<IServiceProvider, Task> work)
    {
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        await work(scope.ServiceProvider);
    }

    private Task<Guid> CustomerAsync(string? tier = null, string? language = null, string? email = null) => InScopeAsync(async s =>
    {
        var profile = await s.GetRequiredService<ProfileDirectory>().FindOrCreateByEmailAsync(email ?? Json.NewEmail(), "Ana Silva", default);
        profile.Traits = JsonSerializer.Serialize(new Dictionary<string, string?> { ["tier"] = tier, ["language"] = language }
            .Where(t => t.Value is not null).ToDictionary());
        await s.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return profile.Id;
    });

    private async Task<Ticket> OpenAsync(Guid profile, string subject, string text, string channel = SupportChannels.Email)
    {
        var ticket = await InScopeAsync(s => s.GetRequiredService<TicketService>().OpenAsync(profile, subject, new NewMessage(MessageDirection.Inbound, channel, "Ana", text), null, default));
        await DispatchAsync();
        return ticket;
    }

    private async Task ReplyAsync(string number, string agent = "agent-x", TicketStatus? then = null)
    {
        await InScopeAsync(async s =>
        {
            var tickets = s.GetRequiredService<TicketService>();
            var ticket = (await tickets.FindAsync(number, default))!;
            await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Outbound, SupportChannels.Web, "Ines", "Here is the answer.", Author: agent), default, then);
        });
        await DispatchAsync();
    }

    private async Task CustomerWritesAsync(string number, string text = "One more thing.")
    {
        await InScopeAsync(async s =>
        {
            var tickets = s.GetRequiredService<TicketService>();
            await tickets.AddMessageAsync((await tickets.FindAsync(number, default))!, new NewMessage(MessageDirection.Inbound, SupportChannels.Web, "Ana", text), default);
        });
        await DispatchAsync();
    }

    private async Task StatusAsync(string number, TicketStatus to)
    {
        await InScopeAsync(async s =>
        {
            var tickets = s.GetRequiredService<TicketService>();
            await tickets.ChangeStatusAsync((await tickets.FindAsync(number, default))!, to, "agent-x", default);
        });
        await DispatchAsync();
    }

    private Task<int> SweepAsync() => InScopeAsync(s => s.GetRequiredService<SlaClock>().RunDueAsync(default));

    private Task<Ticket> TicketAsync(string number) => app.WithDbAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Number == number));

    private Task<TicketWork> WorkAsync(Guid ticketId) => app.WithDbAsync(db => db.TicketWork.AsNoTracking().SingleAsync(w => w.TicketId == ticketId));

    private Task<List<string>> NotesAsync(Guid ticketId) => app.WithDbAsync(db => db.TicketMessages.AsNoTracking()
        .Where(m => m.TicketId == ticketId && m.Direction == MessageDirection.Note).OrderBy(m => m.CreatedAt).Select(m => m.BodyText).ToListAsync());

    private Task CalendarAsync(string hours, string? holidays = null, string zone = "UTC") =>
        InScopeAsync(s => s.GetRequiredService<SupportSetup>().SaveCalendarAsync(zone, hours, holidays, default));

    private Task<SupportQueue> QueueAsync(string key, AssignmentStrategy strategy = AssignmentStrategy.RoundRobin, bool isDefault = false) =>
        InScopeAsync(s => s.GetRequiredService<SupportSetup>().SaveQueueAsync(new QueueInput(key, "Queue " + key, strategy, isDefault), default));

    private Task<RoutingRule> RuleAsync(string name, Guid queue, int position = 1, string? channel = null, string? language = null, string? keywords = null,
        string? tier = null, string? skill = null, long? minSpend = null) =>
        InScopeAsync(s => s.GetRequiredService<SupportSetup>().SaveRuleAsync(null, new RuleInput(name, position, true, channel, language, keywords, tier, minSpend, queue, skill), default));

    /// <summary>An agent in the given queues, online now (or with the given presence).</summary>
    private Task<string> AgentAsync(string queues, string? skills = null, int capacity = 10, AgentPresence presence = AgentPresence.Online) => InScopeAsync(async s =>
    {
        var id = "agent-" + Unique();
        await s.GetRequiredService<SupportSetup>().SaveAgentAsync(new AgentInput(id, "Agent " + id[^4..], queues, skills, capacity), default);
        await s.GetRequiredService<TicketRouter>().SetPresenceAsync(id, "ignored", presence, default);
        return id;
    });

    private Task TouchAsync(params string[] agents) => InScopeAsync(async s =>
    {
        foreach (var a in agents) await s.GetRequiredService<TicketRouter>().TouchAsync(a, default);
    });

    private Task<SlaPolicy> PolicyAsync(string tier, int first = 60, int next = 120, int resolution = 240, int warn = 15, bool raise = false,
        bool reassign = false, string? supervisor = null, bool pauseOnHold = false) =>
        InScopeAsync(s => s.GetRequiredService<SupportSetup>().SavePolicyAsync(null,
            new SlaPolicyInput("Policy " + tier, null, tier, first, next, resolution, warn, pauseOnHold, raise, reassign, supervisor), default));

    private Task DeleteRulesAsync(params RoutingRule[] rules) => InScopeAsync(async s =>
    {
        foreach (var r in rules) await s.GetRequiredService<SupportSetup>().DeleteRuleAsync(r.Id, default);
    });

    // ---------------------------------------------------------------- routing and presence

    [SkippableFact]
    public async Task Routing_rules_send_vip_keyword_channel_and_language_tickets_to_their_queue_and_skills_choose_the_agent()
    {
        await DispatchAsync();
        var u = Unique();
        var priority = await QueueAsync("prio-" + u);
        var general = await QueueAsync("gen-" + u, isDefault: true);
        var rules = new[]
        {
            await RuleAsync("vip " + u, priority.Id, position: 1, tier: "vip-" + u),
            await RuleAsync("chargeback " + u, priority.Id, position: 2, keywords: $"nothing-{u}, chargeback{u}", skill: "billing"),
            await RuleAsync("phone " + u, priority.Id, position: 3, channel: SupportChannels.Phone, keywords: "callback" + u),
            await RuleAsync("portuguese " + u, general.Id, position: 4, language: "pt", keywords: "ola" + u, skill: "portuguese"),
        };
        try
        {
            var billing = await AgentAsync($"prio-{u} gen-{u}", "billing");
            var other = await AgentAsync($"prio-{u} gen-{u}");

            var vip = await OpenAsync(await CustomerAsync(tier: "vip-" + u), "Question", "Where is my parcel?");
            var chargeback = await OpenAsync(await CustomerAsync(), "Card problem", $"I will file a CHARGEBACK{u} today");
            var byPhone = await OpenAsync(await CustomerAsync(), "Call", "callback" + u, SupportChannels.Phone);
            var byMail = await OpenAsync(await CustomerAsync(), "Call", "callback" + u, SupportChannels.Email);
            var portuguese = await OpenAsync(await CustomerAsync(language: "pt"), "Pergunta", "ola" + u);
            var english = await OpenAsync(await CustomerAsync(language: "en"), "Question", "ola" + u);

            async Task<(Guid? Queue, string? Skill, string? Rule)> Route(Ticket t) { var w = await WorkAsync(t.Id); return (w.QueueId, w.Skill, w.RuleName); }
            Assert.Equal((priority.Id, null, "vip " + u), await Route(vip));
            Assert.Equal((priority.Id, "billing", "chargeback " + u), await Route(chargeback));
            Assert.Equal((priority.Id, null, "phone " + u), await Route(byPhone));
            Assert.Equal((general.Id, null, null), await Route(byMail));   // the phone rule does not take email; the default queue does
            Assert.Equal((general.Id, "portuguese", "portuguese " + u), await Route(portuguese));
            Assert.Equal((general.Id, null, null), await Route(english));

            // Only the agent with the skill takes the chargeback; nobody has "portuguese", so that ticket waits.
            Assert.Equal(billing, (await TicketAsync(chargeback.Number)).AssigneeUserId);
            Assert.Null((await TicketAsync(portuguese.Number)).AssigneeUserId);
            Assert.Contains((await TicketAsync(vip.Number)).AssigneeUserId, new[] { billing, other });
        }
        finally
        {
            await DeleteRulesAsync(rules);
        }
    }

    [SkippableFact]
    public async Task High_value_customers_match_a_lifetime_spend_rule_only_above_the_threshold()
    {
        await DispatchAsync();
        var u = Unique();
        var queue = await QueueAsync("spend-" + u);
        var rule = await RuleAsync("spend " + u, queue.Id, keywords: "spend" + u, minSpend: 1);
        try
        {
            // No paid orders: lifetime spend 0 is below 1 minor unit, so the rule does not match.
            var ticket = await OpenAsync(await CustomerAsync(), "Hello", "spend" + u);
            Assert.NotEqual(queue.Id, (await WorkAsync(ticket.Id)).QueueId);
        }
        finally
        {
            await DeleteRulesAsync(rule);
        }
    }

    [SkippableFact]
    public async Task Round_robin_takes_turns_and_least_loaded_fills_the_emptiest_agent_both_within_capacity()
    {
        await DispatchAsync();
        var u = Unique();
        var rr = await QueueAsync("rr-" + u, AssignmentStrategy.RoundRobin);
        var ll = await QueueAsync("ll-" + u, AssignmentStrategy.LeastLoaded);
        var rules = new[] { await RuleAsync("rr " + u, rr.Id, keywords: "rr" + u), await RuleAsync("ll " + u, ll.Id, keywords: "ll" + u) };
        try
        {
            var a1 = await AgentAsync("rr-" + u, capacity: 2);
            var a2 = await AgentAsync("rr-" + u, capacity: 2);
            var (first, second) = string.CompareOrdinal(a1, a2) < 0 ? (a1, a2) : (a2, a1);
            var customer = await CustomerAsync();
            var tickets = new List<Ticket>();
            for (var i = 0; i < 5; i++) tickets.Add(await OpenAsync(customer, "Round " + i, "rr" + u));
            var assignees = new List<string?>();
            foreach (var t in tickets) assignees.Add((await TicketAsync(t.Number)).AssigneeUserId);
            Assert.Equal([first, second, first, second, null], assignees);

            // Solving frees room: the waiting ticket goes to the agent who now has it.
            await StatusAsync(tickets[0].Number, TicketStatus.Solved);
            Assert.Equal(first, (await TicketAsync(tickets[4].Number)).AssigneeUserId);

            var busy = await AgentAsync("ll-" + u, capacity: 3);
            var idle = await AgentAsync("ll-" + u, capacity: 3);
            // The busy agent already holds two tickets of the queue, assigned by hand.
            foreach (var i in new[] { 1, 2 })
            {
                var t = await OpenAsync(customer, "Busy " + i, "nothing to route");
                await InScopeAsync(async s =>
                {
                    var service = s.GetRequiredService<TicketService>();
                    var tracked = (await service.FindAsync(t.Number, default))!;
                    await service.UpdateAsync(tracked, tracked.Priority, tracked.Type, busy, null, null, default);
                });
            }
            var least = new List<string?>();
            for (var i = 0; i < 5; i++) least.Add((await TicketAsync((await OpenAsync(customer, "Least " + i, "ll" + u)).Number)).AssigneeUserId);
            // idle 0 -> 1 -> 2 (then both hold 2), the tie goes to the one assigned longest ago, then each holds 3 = capacity.
            Assert.Equal([idle, idle, busy, idle, null], least);
        }
        finally
        {
            await DeleteRulesAsync(rules);
        }
    }

    [SkippableFact]
    public async Task Offline_and_away_agents_get_nothing_and_coming_online_picks_up_waiting_tickets()
    {
        await DispatchAsync();
        var u = Unique();
        var queue = await QueueAsync("pres-" + u);
        var rule = await RuleAsync("presence " + u, queue.Id, keywords: "pres" + u);
        try
        {
            var agent = await AgentAsync("pres-" + u, presence: AgentPresence.Offline);
            var first = await OpenAsync(await CustomerAsync(), "Waiting", "pres" + u);
            Assert.Null((await TicketAsync(first.Number)).AssigneeUserId);

            await InScopeAsync(s => s.GetRequiredService<TicketRouter>().SetPresenceAsync(agent, "A", AgentPresence.Online, default));
            Assert.Equal(agent, (await TicketAsync(first.Number)).AssigneeUserId);

            // Online but not seen for longer than the presence timeout: away, so a new ticket waits; a sign of life picks it up on the sweep.
            Advance(TimeSpan.FromMinutes(11));
            var second = await OpenAsync(await CustomerAsync(), "Waiting too", "pres" + u);
            await SweepAsync();
            Assert.Null((await TicketAsync(second.Number)).AssigneeUserId);
            await TouchAsync(agent);
            await SweepAsync();
            Assert.Equal(agent, (await TicketAsync(second.Number)).AssigneeUserId);

            await InScopeAsync(s => s.GetRequiredService<TicketRouter>().SetPresenceAsync(agent, "A", AgentPresence.Away, default));
            var third = await OpenAsync(await CustomerAsync(), "After hours", "pres" + u);
            await SweepAsync();
            Assert.Null((await TicketAsync(third.Number)).AssigneeUserId);
        }
        finally
        {
            await DeleteRulesAsync(rule);
        }
    }

    // ---------------------------------------------------------------- SLA

    [SkippableFact]
    public async Task A_breach_is_warned_about_first_then_raises_priority_reassigns_and_mails_the_supervisor_once()
    {
        await DispatchAsync();
        await CalendarAsync(AlwaysOpen);
        var u = Unique();
        var queue = await QueueAsync("sla-" + u);
        var rule = await RuleAsync("sla " + u, queue.Id, tier: "t-" + u);
        var supervisor = $"lead-{u}@shop.example";
        await PolicyAsync("t-" + u, first: 60, warn: 15, raise: true, reassign: true, supervisor: supervisor);
        try
        {
            var a1 = await AgentAsync("sla-" + u);
            var ticket = await OpenAsync(await CustomerAsync(tier: "t-" + u), "Urgent help", "Please help");
            var opened = Now;
            var first = (await TicketAsync(ticket.Number)).AssigneeUserId;
            Assert.Equal(a1, first);
            var work = await WorkAsync(ticket.Id);
            Assert.Equal(opened.AddMinutes(60), work.FirstResponseDueAt);
            Assert.Equal(opened.AddMinutes(45), work.NextCheckAt);

            Advance(TimeSpan.FromMinutes(44));
            await SweepAsync();
            Assert.Empty(await NotesAsync(ticket.Id));

            Advance(TimeSpan.FromMinutes(1));
            await SweepAsync();
            var notes = await NotesAsync(ticket.Id);
            Assert.Single(notes);
            Assert.StartsWith("SLA at risk: first response", notes[0], StringComparison.Ordinal);
            Assert.Equal(TicketPriority.Normal, (await TicketAsync(ticket.Number)).Priority);
            Assert.False(await app.WithDbAsync(db => db.Mail.AnyAsync(m => m.To == supervisor)));

            var a2 = await AgentAsync("sla-" + u);
            Advance(TimeSpan.FromMinutes(15));
            await TouchAsync(a1, a2);
            await SweepAsync();
            var breached = await TicketAsync(ticket.Number);
            Assert.Equal(TicketPriority.High, breached.Priority);
            Assert.Equal(a2, breached.AssigneeUserId);
            notes = await NotesAsync(ticket.Id);
            Assert.Equal(2, notes.Count);
            Assert.Contains("SLA breached: first response", notes[1], StringComparison.Ordinal);
            Assert.Contains("priority raised to High", notes[1], StringComparison.Ordinal);
            Assert.Contains("supervisor notified", notes[1], StringComparison.Ordinal);
            var mail = await app.WithDbAsync(db => db.Mail.SingleAsync(m => m.To == supervisor));
            Assert.Contains(ticket.Number, mail.Subject, StringComparison.Ordinal);
            Assert.Contains(SlaTargets.FirstResponse, (await WorkAsync(ticket.Id)).Breached, StringComparison.Ordinal);

            // Later sweeps do not escalate the same breach again.
            Advance(TimeSpan.FromMinutes(30));
            await TouchAsync(a1, a2);
            await SweepAsync();
            Assert.Equal(2, (await NotesAsync(ticket.Id)).Count);
            Assert.Equal(TicketPriority.High, (await TicketAsync(ticket.Number)).Priority);
            Assert.Equal(1, await app.WithDbAsync(db => db.Mail.CountAsync(m => m.To == supervisor)));

            // The late first response counts as missed.
            await ReplyAsync(ticket.Number, a2);
            work = await WorkAsync(ticket.Id);
            Assert.Equal((0, 1), (work.TargetsMet, work.TargetsMissed));
        }
        finally
        {
            await DeleteRulesAsync(rule);
        }
    }

    [SkippableFact]
    public async Task Two_sweeps_at_once_escalate_a_breached_ticket_exactly_once_and_a_claimed_row_is_left_alone()
    {
        await DispatchAsync();
        await CalendarAsync(AlwaysOpen);
        var u = Unique();
        var supervisor = $"lead-{u}@shop.example";
        await PolicyAsync("t-" + u, first: 30, warn: 0, raise: true, supervisor: supervisor);
        var raced = await OpenAsync(await CustomerAsync(tier: "t-" + u), "Race", "Two workers");
        var claimed = await OpenAsync(await CustomerAsync(tier: "t-" + u), "Claimed", "Another process has it");
        // Another process holds the second ticket's row for the next two minutes.
        await app.WithDbAsync(db => db.TicketWork.Where(w => w.TicketId == claimed.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.ClaimToken, Guid.NewGuid()).SetProperty(w => w.ClaimedUntil, Now.AddMinutes(32))));
        Advance(TimeSpan.FromMinutes(31));

        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(SweepAsync)));

        Assert.Equal(1, await app.WithDbAsync(db => db.Mail.CountAsync(m => m.To == supervisor && m.Subject.Contains(raced.Number))));
        Assert.Single(await NotesAsync(raced.Id));
        Assert.Equal(TicketPriority.High, (await TicketAsync(raced.Number)).Priority);
        Assert.Empty(await NotesAsync(claimed.Id));
        Assert.Equal(TicketPriority.Normal, (await TicketAsync(claimed.Number)).Priority);

        // Once the other process's claim has lapsed the row is worked here.
        Advance(TimeSpan.FromMinutes(2));
        await SweepAsync();
        Assert.Single(await NotesAsync(claimed.Id));
        Assert.Null((await WorkAsync(claimed.Id)).ClaimedUntil);
    }

    [SkippableFact]
    public async Task The_clock_pauses_while_pending_the_customer_and_resumes_with_the_time_that_was_left()
    {
        await DispatchAsync();
        await CalendarAsync(AlwaysOpen);
        var u = Unique();
        await PolicyAsync("t-" + u, first: 60, next: 120, resolution: 240, warn: 10, raise: true);
        var ticket = await OpenAsync(await CustomerAsync(tier: "t-" + u), "Pause", "Please");
        var opened = Now;
        Assert.Equal(opened.AddMinutes(240), (await WorkAsync(ticket.Id)).ResolutionDueAt);

        Advance(TimeSpan.FromMinutes(30));
        await ReplyAsync(ticket.Number);   // pending the customer
        var work = await WorkAsync(ticket.Id);
        Assert.Equal(opened.AddMinutes(30), work.PausedSince);
        Assert.Null(work.FirstResponseDueAt);
        Assert.Null(work.NextCheckAt);
        Assert.Equal(1, work.TargetsMet);

        // Five hours later the resolution target would long be breached, but the clock stood still.
        Advance(TimeSpan.FromHours(5));
        await SweepAsync();
        Assert.Empty(await NotesAsync(ticket.Id));
        Assert.Equal(TicketPriority.Normal, (await TicketAsync(ticket.Number)).Priority);
        Assert.Equal(SlaState.Paused, SlaClock.View(await WorkAsync(ticket.Id), null, Now).State);

        var resumed = Now;
        await CustomerWritesAsync(ticket.Number);
        work = await WorkAsync(ticket.Id);
        Assert.Equal(TicketStatus.Open, (await TicketAsync(ticket.Number)).Status);
        Assert.Null(work.PausedSince);
        Assert.Equal(resumed.AddMinutes(210), work.ResolutionDueAt);   // 240 minutes less the 30 used before the pause
        Assert.Equal(resumed.AddMinutes(120), work.NextResponseDueAt);  // the full next-response time from the customer's message
        Assert.Equal(resumed.AddMinutes(110), work.NextCheckAt);

        // On hold does not pause under this policy: the clock runs on and breaches.
        await StatusAsync(ticket.Number, TicketStatus.OnHold);
        Assert.Null((await WorkAsync(ticket.Id)).PausedSince);
        Advance(TimeSpan.FromMinutes(121));
        await SweepAsync();
        Assert.Contains(SlaTargets.NextResponse, (await WorkAsync(ticket.Id)).Breached, StringComparison.Ordinal);
        Assert.Equal(TicketPriority.High, (await TicketAsync(ticket.Number)).Priority);
    }

    [SkippableFact]
    public async Task A_ticket_solved_while_pending_is_judged_by_when_the_clock_stopped()
    {
        await DispatchAsync();
        await CalendarAsync(AlwaysOpen);
        var u = Unique();
        await PolicyAsync("t-" + u, first: 60, resolution: 120, warn: 0);
        var ticket = await OpenAsync(await CustomerAsync(tier: "t-" + u), "Solve later", "Please");
        Advance(TimeSpan.FromMinutes(20));
        await ReplyAsync(ticket.Number);              // first response met, pending from minute 20
        Advance(TimeSpan.FromHours(6));
        await StatusAsync(ticket.Number, TicketStatus.Solved);   // wall clock far past 120 minutes, working clock at 20
        var work = await WorkAsync(ticket.Id);
        Assert.Equal((2, 0), (work.TargetsMet, work.TargetsMissed));
        Assert.Null(work.ResolutionDueAt);
    }

    [Fact]
    public void Business_hours_carry_a_friday_evening_ticket_to_monday_and_skip_holidays()
    {
        const string week = "mon 09:00-17:00; tue 09:00-17:00; wed 09:00-17:00; thu 09:00-17:00; fri 09:00-17:00";
        var lisbon = BusinessHours.Parse("Europe/Lisbon", week, null);
        // Friday 2026-03-13 18:00 in Lisbon (UTC+0 in winter): closed until Monday 09:00; four working hours is Monday 13:00.
        var friday = new DateTime(2026, 3, 13, 18, 0, 0, DateTimeKind.Utc);
        Assert.False(lisbon.IsOpen(friday));
        Assert.Equal(new DateTime(2026, 3, 16, 13, 0, 0), lisbon.Add(friday, TimeSpan.FromHours(4)));
        // Ten hours: the eight of Monday, then two on Tuesday.
        Assert.Equal(new DateTime(2026, 3, 17, 11, 0, 0), lisbon.Add(friday, TimeSpan.FromHours(10)));
        Assert.Equal(TimeSpan.FromHours(4), lisbon.Between(friday, new DateTime(2026, 3, 16, 13, 0, 0)));

        var withHoliday = BusinessHours.Parse("Europe/Lisbon", week, "2026-03-16");
        Assert.Equal(new DateTime(2026, 3, 17, 13, 0, 0), withHoliday.Add(friday, TimeSpan.FromHours(4)));
        Assert.Equal(TimeSpan.Zero, withHoliday.Between(friday, new DateTime(2026, 3, 17, 9, 0, 0)));

        // In summer Lisbon is UTC+1: opening at 09:00 local is 08:00 UTC.
        var summerFriday = new DateTime(2026, 7, 10, 17, 0, 0, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2026, 7, 13, 12, 0, 0), lisbon.Add(summerFriday, TimeSpan.FromHours(4)));

        Assert.Throws<FormatException>(() => BusinessHours.Parse("Mars/Olympus", week, null));
        Assert.Throws<FormatException>(() => BusinessHours.Parse("UTC", "mon 17:00-09:00", null));
        Assert.Throws<FormatException>(() => BusinessHours.Parse("UTC", week, "2026-13-01"));
    }

    [SkippableFact]
    public async Task A_ticket_opened_friday_evening_is_due_on_monday_within_business_hours_and_a_monday_holiday_moves_it_to_tuesday()
    {
        await DispatchAsync();
        var u = Unique();
        await PolicyAsync("t-" + u, first: 240, resolution: 960, warn: 30);
        AdvanceTo(DayOfWeek.Friday, 18);
        var friday = Now;
        var monday = friday.Date.AddDays(3);
        await CalendarAsync("mon 09:00-17:00; tue 09:00-17:00; wed 09:00-17:00; thu 09:00-17:00; fri 09:00-17:00");
        var ticket = await OpenAsync(await CustomerAsync(tier: "t-" + u), "Weekend", "Opened on Friday evening");
        var work = await WorkAsync(ticket.Id);
        Assert.Equal(monday.AddHours(13), work.FirstResponseDueAt);
        Assert.Equal(monday.AddDays(1).AddHours(17), work.ResolutionDueAt);   // two working days
        Assert.Equal(monday.AddHours(12).AddMinutes(30), work.NextCheckAt);     // the warning, wall-clock before the due time

        await CalendarAsync("mon 09:00-17:00; tue 09:00-17:00; wed 09:00-17:00; thu 09:00-17:00; fri 09:00-17:00",
            monday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var afterHoliday = await OpenAsync(await CustomerAsync(tier: "t-" + u), "Weekend again", "Opened on Friday evening");
        Assert.Equal(monday.AddDays(1).AddHours(13), (await WorkAsync(afterHoliday.Id)).FirstResponseDueAt);

        // Bad calendars are refused with a validation error, never saved.
        var bad = await Assert.ThrowsAsync<RequestValidationException>(() => CalendarAsync("mon 9-5"));
        Assert.Contains("calendar", bad.Errors.Keys);
        await Assert.ThrowsAsync<RequestValidationException>(() => CalendarAsync(AlwaysOpen, zone: "Nowhere/Land"));
        await CalendarAsync(AlwaysOpen);
    }

    // ---------------------------------------------------------------- automation

    [SkippableFact]
    public async Task A_new_ticket_is_acknowledged_by_email_with_matching_help_articles()
    {
        await DispatchAsync();
        await CalendarAsync(AlwaysOpen);
        var u = "zx" + Unique();
        var article = await InScopeAsync(s => s.GetRequiredService<KnowledgeBase>().SaveAsync(null,
            new ArticleInput($"Resetting the {u} router", null, $"Unplug the {u} for ten seconds.", "Devices", true), default));
        var email = Json.NewEmail();
        var ticket = await OpenAsync(await CustomerAsync(email: email), $"My {u} is broken", $"The {u} blinks red.");

        var mail = await app.WithDbAsync(db => db.Mail.SingleAsync(m => m.To == email));
        Assert.Contains(ticket.Number, mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"/help/{article.Slug}", mail.HtmlBody, StringComparison.Ordinal);
        var ack = await app.WithDbAsync(db => db.Interactions.SingleAsync(i => i.Type == "ticket_acknowledged" && i.SourceId == ticket.Number));
        Assert.Contains(article.Slug, ack.Properties, StringComparison.Ordinal);

        // Nothing matches: the acknowledgement suggests nothing rather than unrelated articles.
        var plain = Json.NewEmail();
        await OpenAsync(await CustomerAsync(email: plain), "Can you?", "How do I?");   // only stop words: nothing to search for
        var plainMail = await app.WithDbAsync(db => db.Mail.SingleAsync(m => m.To == plain));
        Assert.DoesNotContain("/help/", plainMail.HtmlBody, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Out_of_hours_the_assistant_answers_from_the_help_centre_and_hands_over_on_request_or_low_confidence()
    {
        await DispatchAsync();
        // Open only on a day three days from now: closed today.
        var openDay = Now.AddDays(3).DayOfWeek.ToString()[..3].ToLowerInvariant();
        await CalendarAsync($"{openDay} 09:00-17:00");
        var u = "zy" + Unique();
        var article = await InScopeAsync(s => s.GetRequiredService<KnowledgeBase>().SaveAsync(null,
            new ArticleInput($"Return {u} parcel label", null, $"Print the {u} return label from your order page; the parcel label is free.", "Returns", true), default));

        var answered = await OpenAsync(await CustomerAsync(), $"Return {u} parcel label", $"How do I print the {u} return label?");
        var thread = await app.WithDbAsync(db => db.TicketMessages.Where(m => m.TicketId == answered.Id).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync());
        var reply = Assert.Single(thread, m => m.Direction == MessageDirection.Outbound);
        Assert.Equal(TicketAutomation.AssistantName, reply.AuthorName);
        Assert.Contains($"/help/{article.Slug}", reply.BodyText, StringComparison.Ordinal);
        var after = await TicketAsync(answered.Number);
        Assert.Equal(TicketStatus.PendingCustomer, after.Status);
        Assert.Null(after.FirstResponseAt);   // the assistant is not an agent's first response
        Assert.True((await WorkAsync(answered.Id)).AssistantAnswered);

        // The customer asks for a person: handed over to the team.
        await CustomerWritesAsync(answered.Number, "That did not help, I want a human please");
        var handed = await TicketAsync(answered.Number);
        Assert.Equal(TicketStatus.Open, handed.Status);
        Assert.Contains("handover", handed.Tags, StringComparison.Ordinal);
        Assert.Contains(await NotesAsync(answered.Id), n => n.Contains("asked for a person", StringComparison.Ordinal));
        Assert.False((await WorkAsync(answered.Id)).AssistantAnswered);

        // Asking for a person up front: no automatic answer, a note for the team.
        var wantsPerson = await OpenAsync(await CustomerAsync(), $"Return {u} parcel label", "Can I talk to a real person?");
        Assert.DoesNotContain(await app.WithDbAsync(db => db.TicketMessages.Where(m => m.TicketId == wantsPerson.Id).ToListAsync()), m => m.Direction == MessageDirection.Outbound);
        Assert.Contains(await NotesAsync(wantsPerson.Id), n => n.Contains("asked for a person", StringComparison.Ordinal));

        // Nothing confident in the help centre: no answer, a note for the team.
        var unsure = await OpenAsync(await CustomerAsync(), "qq" + Unique(), "Something the help centre does not know " + Unique());
        Assert.Equal(TicketStatus.New, (await TicketAsync(unsure.Number)).Status);
        Assert.Contains(await NotesAsync(unsure.Id), n => n.Contains("no confident answer", StringComparison.Ordinal));

        await CalendarAsync(AlwaysOpen);
    }

    [SkippableFact]
    public async Task Macros_fill_their_placeholders_set_status_and_tags_and_unknown_placeholders_are_refused()
    {
        await DispatchAsync();
        var u = Unique();
        var email = Json.NewEmail();
        var profile = await CustomerAsync(email: email);
        var ticket = await OpenAsync(profile, "Refund please", "I want my money back");
        var macro = await InScopeAsync(s => s.GetRequiredService<Macros>().SaveAsync(null,
            new MacroInput("Refund " + u, "Hello {{customer.first_name}}, your request {{ ticket.number }} ({{ticket.subject}}) is refunded. {{agent.first_name}}",
                TicketStatus.Solved, "refund, Billing"), default));

        var result = await InScopeAsync(async s =>
        {
            var t = (await s.GetRequiredService<TicketService>().FindAsync(ticket.Number, default))!;
            return await s.GetRequiredService<Macros>().ApplyAsync(t, macro.Id, "agent-" + u, "Ines Costa", default);
        });
        Assert.Equal($"Hello Ana, your request {ticket.Number} (Refund please) is refunded. Ines", result.Message.BodyText);
        Assert.True(result.Emailed);
        var after = await TicketAsync(ticket.Number);
        Assert.Equal(TicketStatus.Solved, after.Status);
        Assert.Equal("billing refund", string.Join(' ', after.Tags.Split(' ').Order(StringComparer.Ordinal)));

        var unknown = await Assert.ThrowsAsync<RequestValidationException>(() => InScopeAsync(s => s.GetRequiredService<Macros>().SaveAsync(null,
            new MacroInput("Bad " + u, "Your password is {{customer.password}}", null, null), default)));
        Assert.Contains("body", unknown.Errors.Keys);
        var taken = await Assert.ThrowsAsync<DomainException>(() => InScopeAsync(s => s.GetRequiredService<Macros>().SaveAsync(null,
            new MacroInput("Refund " + u, "Hi", null, null), default)));
        Assert.Equal("macro-name-taken", taken.Code);
        var missing = await Assert.ThrowsAsync<DomainException>(() => InScopeAsync(async s =>
        {
            var t = (await s.GetRequiredService<TicketService>().FindAsync(ticket.Number, default))!;
            return await s.GetRequiredService<Macros>().ApplyAsync(t, Guid.NewGuid(), "agent-" + u, "Ines", default);
        }));
        Assert.Equal(404, missing.Status);
    }

    [SkippableFact]
    public async Task Solved_tickets_close_after_a_week_without_activity()
    {
        await DispatchAsync();
        var ticket = await OpenAsync(await CustomerAsync(), "Close me", "Thanks");
        var reopened = await OpenAsync(await CustomerAsync(), "Keep me", "Thanks");
        await StatusAsync(ticket.Number, TicketStatus.Solved);
        await StatusAsync(reopened.Number, TicketStatus.Solved);
        Advance(TimeSpan.FromDays(6));
        await CustomerWritesAsync(reopened.Number, "Actually, it broke again");
        await StatusAsync(reopened.Number, TicketStatus.Solved);
        await SweepAsync();
        Assert.Equal(TicketStatus.Solved, (await TicketAsync(ticket.Number)).Status);

        Advance(TimeSpan.FromDays(1));
        await SweepAsync();
        Assert.Equal(TicketStatus.Closed, (await TicketAsync(ticket.Number)).Status);
        Assert.Equal(TicketStatus.Solved, (await TicketAsync(reopened.Number)).Status);   // its last activity was a day ago
        var closing = await app.WithDbAsync(db => db.Interactions.SingleAsync(i => i.SourceId == ticket.Number && i.Type == "ticket_status_changed" && i.Properties.Contains("auto-close")));
        Assert.Equal(ticket.ProfileId, closing.ProfileId);
    }

    [SkippableFact]
    public async Task After_solve_the_customer_rates_their_own_ticket_once_and_anothers_rating_page_is_not_found()
    {
        await DispatchAsync();
        var email = Json.NewEmail();
        var profile = await CustomerAsync(email: email);
        var ticket = await OpenAsync(profile, "Rate me", "Help");
        var other = await OpenAsync(await CustomerAsync(), "Not yours", "Help");
        await StatusAsync(ticket.Number, TicketStatus.Solved);
        await StatusAsync(other.Number, TicketStatus.Solved);
        var survey = await app.WithDbAsync(db => db.Mail.SingleAsync(m => m.To == email && m.Subject.Contains("How did we do?")));
        Assert.Contains($"/support/{ticket.Number}/rating", survey.HtmlBody, StringComparison.Ordinal);
        Assert.True(await app.WithDbAsync(db => db.Interactions.AnyAsync(i => i.Type == "csat_requested" && i.SourceId == ticket.Number)));
        // Solving again (after a reopen) does not send a second survey.
        await CustomerWritesAsync(ticket.Number);
        await StatusAsync(ticket.Number, TicketStatus.Solved);
        Assert.Equal(1, await app.WithDbAsync(db => db.CsatSurveys.CountAsync(s => s.TicketId == ticket.Id)));

        using var client = await SignInCustomerAsync(email, profile);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/support/{ticket.Number}/rating")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/support/{other.Number}/rating")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/support/T-000000/rating")).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await RateAsync(client, ticket.Number, "7")).StatusCode);
        Assert.Null((await app.WithDbAsync(db => db.CsatSurveys.SingleAsync(s => s.TicketId == ticket.Id))).Rating);
        Assert.Equal(HttpStatusCode.OK, (await RateAsync(client, ticket.Number, "4", "Quick and kind")).StatusCode);
        var answered = await app.WithDbAsync(db => db.CsatSurveys.SingleAsync(s => s.TicketId == ticket.Id));
        Assert.Equal((4, "Quick and kind"), (answered.Rating, answered.Comment));
        Assert.True(await app.WithDbAsync(db => db.Interactions.AnyAsync(i => i.Type == "csat_submitted" && i.ProfileId == profile && i.SourceId == ticket.Number)));
        Assert.Contains("You rated request", await client.GetStringAsync($"/support/{ticket.Number}/rating"), StringComparison.Ordinal);

        // Rating someone else's ticket by posting to its address changes nothing
        // (the page has no rating form for it, so the post is refused as a request for a form that is not there).
        var foreign = await RateAsync(client, other.Number, "1", token: await TokenAsync(client, $"/support/{ticket.Number}"));
        Assert.True(foreign.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, foreign.StatusCode.ToString());
        Assert.Null((await app.WithDbAsync(db => db.CsatSurveys.SingleAsync(s => s.TicketId == other.Id))).Rating);

        var twice = await Assert.ThrowsAsync<DomainException>(() => InScopeAsync(async s =>
        {
            var csat = s.GetRequiredService<CsatService>();
            await csat.SubmitAsync((await csat.FindOwnAsync(ticket.Number, profile, default))!, 5, null, default);
        }));
        Assert.Equal("csat-already-answered", twice.Code);
    }

    [SkippableFact]
    public async Task A_customer_without_an_account_rates_from_the_absolute_link_in_the_survey_mail_and_a_wrong_key_finds_nothing()
    {
        await DispatchAsync();
        var email = Json.NewEmail();
        var profile = await CustomerAsync(email: email);   // a guest: a profile with an email, no account
        var ticket = await OpenAsync(profile, "Chatted only", "Help");
        await StatusAsync(ticket.Number, TicketStatus.Solved);
        var survey = await app.WithDbAsync(db => db.Mail.SingleAsync(m => m.To == email && m.Subject.Contains("How did we do?")));
        // A mail client has nothing to resolve a relative link against: the link is absolute, and carries the survey's key.
        var link = System.Text.RegularExpressions.Regex.Match(survey.HtmlBody, "href=\"(?<url>[^\"]+)\"").Groups["url"].Value;
        var url = new Uri(WebUtility.HtmlDecode(link));
        Assert.True(url.IsAbsoluteUri, link);
        Assert.Equal($"/support/{ticket.Number}/rating", url.AbsolutePath);
        var key = System.Web.HttpUtility.ParseQueryString(url.Query)["key"];
        Assert.Matches("^[0-9a-f]{32}$", key);

        using var guest = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var path = url.PathAndQuery;
        Assert.Equal(HttpStatusCode.NotFound, (await guest.GetAsync($"/support/{ticket.Number}/rating?key={new string('0', 32)}")).StatusCode);
        var bare = await guest.GetAsync($"/support/{ticket.Number}/rating");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);   // without the key a visitor signs in first
        Assert.Contains("Account/Login", bare.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync(path)).StatusCode);
        var rated = await guest.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "rating", ["Rating"] = "5", ["Comment"] = "Kind",
            ["__RequestVerificationToken"] = await TokenAsync(guest, path),
        }));
        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        var answered = await app.WithDbAsync(db => db.CsatSurveys.SingleAsync(s => s.TicketId == ticket.Id));
        Assert.Equal((5, "Kind"), (answered.Rating, answered.Comment));
        Assert.True(await app.WithDbAsync(db => db.Interactions.AnyAsync(i => i.Type == "csat_submitted" && i.ProfileId == profile && i.SourceId == ticket.Number)));
    }

    private static async Task<HttpResponseMessage> RateAsync(HttpClient client, string number, string rating, string? comment = null, string? token = null) =>
        await client.PostAsync($"/support/{number}/rating", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "rating", ["Rating"] = rating, ["Comment"] = comment ?? "",
            ["__RequestVerificationToken"] = token ?? await TokenAsync(client, $"/support/{number}/rating"),
        }));

    private async Task<HttpClient> SignInCustomerAsync(string email, Guid profile)
    {
        await InScopeAsync(async s =>
        {
            var users = s.GetRequiredService<UserManager<CentricUser>>();
            var user = new CentricUser { UserName = email, Email = email, EmailConfirmed = true, ProfileId = profile, DisplayName = "Ana Silva" };
            Assert.True((await users.CreateAsync(user, "Portal-pass-1234")).Succeeded);
        });
        return await SignInAsync(email);
    }

    /// <summary>Staff sign in with MFA: every staff page but the console's overview requires it.</summary>
    private Task<HttpClient> SignInStaffAsync(string role) => StaffSession.SignInAsync(app, role, withMfa: true);

    private async Task<HttpClient> SignInAsync(string email)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Email"] = email, ["Input.Password"] = "Portal-pass-1234",
            ["__RequestVerificationToken"] = await TokenAsync(client, "/Account/Login"),
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }

    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        var input = System.Text.RegularExpressions.Regex.Match(html, "<input[^>]*__RequestVerificationToken[^>]*>").Value;
        var token = System.Text.RegularExpressions.Regex.Match(input, "value=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), $"no antiforgery token on {path}");
        return WebUtility.HtmlDecode(token);
    }

    // ---------------------------------------------------------------- measures and access

    [SkippableFact]
    public async Task Support_measures_match_a_hand_computed_day_of_tickets()
    {
        await DispatchAsync();
        await CalendarAsync(AlwaysOpen);
        var u = Unique();
        // first response 150 min, next response 180 min, resolution 300 min, all round the clock.
        await PolicyAsync("t-" + u, first: 150, next: 180, resolution: 300, warn: 0);
        AdvanceTo(Now.AddDays(2).DayOfWeek, 0);
        var day = Now;
        var backlogBefore = await InScopeAsync(async s => (await s.GetRequiredService<SupportMeasuresService>().ComputeAsync(day, day.AddDays(1), default)).Backlog);
        var (p1, p2, p3, p4) = (await CustomerAsync(tier: "t-" + u), await CustomerAsync(tier: "t-" + u), await CustomerAsync(tier: "t-" + u), await CustomerAsync(tier: "t-" + u));
        var (visitor, browser) = (await CustomerAsync(), await CustomerAsync());
        Task HelpAsync(Guid profile, string type) => InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<CentricDbContext>();
            var log = s.GetRequiredService<InteractionLog>();
            if (type == "help_searched") log.Append(db, profile, InteractionTypes.HelpSearched, "web", new HelpSearchedProperties("parcel", 1, ["parcel-tracking"], "help"));
            else log.Append(db, profile, InteractionTypes.HelpArticleViewed, "web", new HelpArticleProperties("parcel-tracking", Guid.NewGuid()));
            await db.SaveChangesAsync();
        });
        void At(int hour, int minute = 0) => app.Clock.SetUtcNow(new DateTimeOffset(day.AddHours(hour).AddMinutes(minute), TimeSpan.Zero));

        At(1); var t1 = await OpenAsync(p1, "One", "First", SupportChannels.Email);
        await HelpAsync(visitor, "help_searched");
        At(1, 30); await HelpAsync(visitor, "help_article_viewed");        // same session: no ticket follows -> deflected
        At(2); var t2 = await OpenAsync(p2, "Two", "Second", SupportChannels.Web);
        await HelpAsync(browser, "help_searched");
        At(3); await ReplyAsync(t1.Number); await ReplyAsync(t2.Number);   // first responses: 2 h and 1 h; both met
        At(4); await CustomerWritesAsync(t2.Number);                        // t2 resumes (paused 1 h), next response due 07:00
        var t3 = await OpenAsync(p3, "Three", "Third", SupportChannels.Email);
        At(4, 30); await HelpAsync(p4, "help_searched");                   // p4 searches, then opens t4 -> not deflected
        At(5); await StatusAsync(t1.Number, TicketStatus.Solved);           // resolution 4 h, met
        var t4 = await OpenAsync(p4, "Four", "Fourth", SupportChannels.Phone);
        At(6); await ReplyAsync(t2.Number);                                 // next response met; pending again from 06:00 (resolution due 08:00)
        At(8); await ReplyAsync(t3.Number);                                 // first response 4 h: missed (due 06:30)
        At(9); await StatusAsync(t2.Number, TicketStatus.Solved);           // resolution 7 h wall clock; the clock stopped at 06:00 -> met
        await HelpAsync(browser, "help_searched");                          // 7 h after the first search: the same session, deflected
        await InScopeAsync(async s =>
        {
            var csat = s.GetRequiredService<CsatService>();
            await csat.SubmitAsync((await csat.FindOwnAsync(t1.Number, p1, default))!, 5, null, default);
            await csat.SubmitAsync((await csat.FindOwnAsync(t2.Number, p2, default))!, 3, null, default);
        });

        await app.DispatchAsync("support.help-sessions");   // help sessions are counted from the rows the stream keeps
        var m = await InScopeAsync(s => s.GetRequiredService<SupportMeasuresService>().ComputeAsync(day, day.AddDays(1), default));
        Assert.Equal(4, m.Tickets);
        Assert.Equal("email=2 phone=1 web=1", string.Join(' ', m.VolumeByChannel.Select(c => $"{c.Key}={c.Value}")));
        Assert.Equal((2 + 1 + 4) / 3.0, m.FirstResponseHoursMean!.Value, 6);
        Assert.Equal(2.0, m.FirstResponseHoursMedian);
        Assert.Equal((4 + 7) / 2.0, m.ResolutionHoursMean!.Value, 6);
        Assert.Equal(0.5, m.FirstContactResolution);   // t1 solved with one answer, t2 with two
        Assert.Equal(backlogBefore + 2, m.Backlog);     // t3 pending, t4 new
        Assert.Equal(5 / 6.0, m.SlaAttainment!.Value, 6);   // met: t1 first+resolution, t2 first+next+resolution; missed: t3 first
        Assert.Equal(0.5, m.Csat);
        Assert.Equal(4.0, m.AverageRating);
        Assert.Equal(2, m.Ratings);
        Assert.Equal((3, 2), (m.HelpSessions, (int)Math.Round(m.DeflectionRate!.Value * m.HelpSessions)));

        // The same figures through the API Insights reads.
        using var analyst = app.ClientWithKey(await app.CreateKeyAsync("customers:read"));
        var body = await (await analyst.GetAsync("/api/v1/support/measures?from=" + Iso(day) + "&to=" + Iso(day.AddDays(1)))).ReadJsonAsync();
        var measures = body.GetProperty("measures");
        Assert.Equal(4, measures.GetProperty("tickets").GetInt32());
        Assert.Equal(0.5, measures.GetProperty("firstContactResolution").GetDouble());
        Assert.Equal(2, measures.GetProperty("volumeByChannel").GetProperty("email").GetInt32());
    }

    [Fact]
    public void Deflection_counts_help_sessions_without_a_ticket_inside_the_window()
    {
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var t0 = new DateTime(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc);
        var window = TimeSpan.FromHours(24);
        var events = new List<HelpEvent>
        {
            new(a, t0, false), new(a, t0.AddHours(2), false),                   // one session, no ticket: deflected
            new(b, t0, false), new(b, t0.AddHours(30), true),                   // ticket 30 h later, outside 24 h: deflected
            new(c, t0, false), new(c, t0.AddHours(23), true),                   // ticket inside the window: not deflected
            new(c, t0.AddDays(3), false),                                       // a second session of c, days later: deflected
        };
        var sessions = SupportMeasureMath.Sessions(events, window);
        var help = (sessions.Count, sessions.Count(s => !s.TicketFollowed));
        Assert.Equal((4, 3), help);
        var facts = new List<TicketFact>
        {
            new("email", t0, t0.AddHours(1), t0.AddHours(5), false, 1, 2, 0),
            new("email", t0, t0.AddHours(3), null, true, 1, 0, 1),
            new("chat", t0, null, null, true, 0, 0, 0),
        };
        var m = SupportMeasureMath.Compute(facts, 2, [5, 4, 2, 1], help);
        Assert.Equal((2.0, 2.0, 5.0, 1.0), (m.FirstResponseHoursMean!.Value, m.FirstResponseHoursMedian!.Value, m.ResolutionHoursMean!.Value, m.FirstContactResolution!.Value));
        Assert.Equal(2 / 3.0, m.SlaAttainment!.Value, 6);
        Assert.Equal((0.5, 3.0), (m.Csat!.Value, m.AverageRating!.Value));
        Assert.Equal(0.75, m.DeflectionRate);
        var empty = SupportMeasureMath.Compute([], 0, [], (0, 0));
        Assert.All(new[] { empty.FirstResponseHoursMean, empty.FirstResponseHoursMedian, empty.ResolutionHoursMean, empty.FirstContactResolution, empty.SlaAttainment, empty.Csat, empty.DeflectionRate },
            Assert.Null);
    }

    [SkippableFact]
    public async Task Staff_see_support_setup_and_measures_only_as_their_role_allows_and_bad_input_is_a_problem()
    {
        await DispatchAsync();
        using var marketer = await SignInStaffAsync(Roles.Marketer);
        using var analyst = await SignInStaffAsync(Roles.Analyst);
        using var admin = await SignInStaffAsync(Roles.Admin);
        static bool Denied(HttpResponseMessage r) => r.StatusCode is HttpStatusCode.Forbidden
            || (r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.ToString().Contains("AccessDenied", StringComparison.Ordinal));

        Assert.True(Denied(await marketer.GetAsync("/console/support/setup")));
        Assert.True(Denied(await marketer.GetAsync("/console/support/measures")));
        Assert.True(Denied(await analyst.GetAsync("/console/support/setup")));
        var measuresPage = await analyst.GetAsync("/console/support/measures");
        Assert.Equal(HttpStatusCode.OK, measuresPage.StatusCode);
        Assert.Contains("First contact resolution", await measuresPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var setup = await admin.GetAsync("/console/support/setup");
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        Assert.Contains("Business hours", await setup.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, (await app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/console/support/measures")).StatusCode);

        // The API is for keys; a signed-in member of staff or nobody at all gets a 401 problem, a key without the scope a 403.
        foreach (var client in new[] { admin, app.CreateClient() })
        {
            var refused = await client.GetAsync("/api/v1/support/measures");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(ProblemTypes.Unauthorized, (await refused.ReadJsonAsync()).GetProperty("type").GetString());
        }
        using var events = app.ClientWithKey(await app.CreateKeyAsync("events:write"));
        Assert.Equal(HttpStatusCode.Forbidden, (await events.GetAsync("/api/v1/support/measures")).StatusCode);
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("customers:read"));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/support/measures")).StatusCode);
        foreach (var query in new[] { "from=yesterday", "to=2026-02-30", "from=2026-03-10&to=2026-03-01", "from=2024-01-01&to=2026-01-01" })
        {
            var bad = await reader.GetAsync("/api/v1/support/measures?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            Assert.Equal(ProblemTypes.Validation, (await bad.ReadJsonAsync()).GetProperty("type").GetString());
        }

        // Setup input that breaks a rule is a validation error naming the field.
        await InScopeAsync(async s =>
        {
            var setupService = s.GetRequiredService<SupportSetup>();
            Assert.Contains("key", (await Assert.ThrowsAsync<RequestValidationException>(() => setupService.SaveQueueAsync(new QueueInput("Bad Key!", "x", AssignmentStrategy.RoundRobin, false), default))).Errors.Keys);
            Assert.Contains("queueId", (await Assert.ThrowsAsync<RequestValidationException>(() => setupService.SaveRuleAsync(null, new RuleInput("r", 1, true, null, null, null, null, null, Guid.NewGuid(), null), default))).Errors.Keys);
            Assert.Contains("capacity", (await Assert.ThrowsAsync<RequestValidationException>(() => setupService.SaveAgentAsync(new AgentInput("u", "n", null, null, -1), default))).Errors.Keys);
            Assert.Contains("firstResponseMinutes", (await Assert.ThrowsAsync<RequestValidationException>(() => setupService.SavePolicyAsync(null,
                new SlaPolicyInput("p", null, null, 0, 10, 10, 0, false, false, false, null), default))).Errors.Keys);
            Assert.Contains("supervisorEmail", (await Assert.ThrowsAsync<RequestValidationException>(() => setupService.SavePolicyAsync(null,
                new SlaPolicyInput("p", null, null, 10, 10, 10, 0, false, false, false, "not-an-address"), default))).Errors.Keys);
        });
    }
}

/// <summary>Background loops off (the SLA sweep too) and a fake clock.</summary>
public class SupportWorkApp : ManualClockApp
{
    public SupportWorkApp(string provider) : base(provider)
    {
        With("Support:Automation:BackgroundJobs", "false");
        With("Support:InboundSecret", SupportTests.Secret);
    }
}

public sealed class SupportWorkSqliteApp() : SupportWorkApp("sqlite");

public sealed class SupportWorkPostgresApp() : SupportWorkApp("postgres");

public sealed class SupportWorkOnSqlite(SupportWorkSqliteApp app) : SupportWorkTests(app), IClassFixture<SupportWorkSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class SupportWorkOnPostgres(SupportWorkPostgresApp app) : SupportWorkTests(app), IClassFixture<SupportWorkPostgresApp>;
