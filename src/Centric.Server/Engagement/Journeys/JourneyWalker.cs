using Centric.Server.Engagement.Contracts;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Centric.Server.Customers.Contracts;
using Centric.Server.Engagement.Messages;
using Centric.Server.Engagement.Segments;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Engagement.Journeys;

/// <summary>
/// Walks customers through journeys: brings them in (respecting re-entry), takes each due step, and ends the walk. Everything
/// it does to a walk is added to the caller's unit of work together with what the step did (a message queued, a tag set), so
/// a crash between the two leaves neither, and the next attempt does the step once. A message's send key is the walk and the
/// step, and steps only move forward, so no step can message a customer twice.
/// </summary>
internal sealed class JourneyWalker(CentricDbContext db, IMessageSender messages, Surveys.ISurveys surveys, ProfileTraits traits, ICustomerDirectory directory,
    InteractionLog log, TimeProvider clock, IOptionsMonitor<EngagementOptions> options, IHttpClientFactory http, ILogger<JourneyWalker> logger)
{
    public const string HttpClientName = "engagement-journeys";
    private static readonly ConcurrentDictionary<(Guid, int), JourneyDefinition> Definitions = new();

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The definition of one published version (versions never change once published, so they are kept parsed).</summary>
    public async Task<JourneyDefinition?> DefinitionAsync(Guid journeyId, int version, CancellationToken ct)
    {
        if (Definitions.TryGetValue((journeyId, version), out var d)) return d;
        var json = await db.JourneyVersions.AsNoTracking().Where(v => v.JourneyId == journeyId && v.Version == version)
            .Select(v => v.Definition).FirstOrDefaultAsync(ct);
        return json is null ? null : Definitions.GetOrAdd((journeyId, version), JourneyDefinitions.Parse(json));
    }

    private sealed record EarlierWalk(string Status, DateTime EnteredAt);

    /// <summary>
    /// What <see cref="PrimeAsync"/> read for a stream batch's entries: entry keys used, earlier walks (per customer and journey
    /// the latest, open if any is), customers known.
    /// </summary>
    private sealed record EntryFacts(HashSet<Guid> Journeys, HashSet<Guid> Profiles, HashSet<string> Keys,
        HashSet<(Guid, string)> UsedKeys, ILookup<(Guid, Guid), EarlierWalk> Previous, IReadOnlySet<Guid> Known)
    {
        public bool Covers(Guid journey, Guid profile, string key) => Journeys.Contains(journey) && Profiles.Contains(profile) && Keys.Contains(key);
    }

    private EntryFacts? _entries;

    /// <summary>
    /// What <see cref="PrimeAsync"/> read for a stream batch's sends, when a live journey needs it: the customers' traits (their
    /// time zone, for quiet hours and local hours) and how many marketing messages journeys sent each within the cap's window.
    /// </summary>
    private sealed record SendFacts(HashSet<Guid> Profiles, IReadOnlyDictionary<Guid, IReadOnlyDictionary<string, string>>? Traits,
        Dictionary<Guid, int>? MarketingSent);

    private SendFacts? _sends;

    /// <summary>Walks this walker began; those still unsaved count for entry checks (the database does not know them yet).</summary>
    private readonly List<JourneyRun> _begun = [];

    /// <summary>
    /// Reads once for a stream batch what bringing its customers into these journeys needs (entry keys used, earlier walks,
    /// whether each is a known customer, and their consent and addresses for the first sends) and, when the journeys' steps
    /// ask for them, the customers' time zones and marketing messages sent (the frequency cap), instead of once per walk.
    /// Customers outside what was primed are looked up one by one as before.
    /// </summary>
    public async Task PrimeAsync(IReadOnlyCollection<Journey> journeys, IReadOnlyCollection<Guid> profileIds, IReadOnlyCollection<string> entryKeys, CancellationToken ct)
    {
        var journeyIds = journeys.Select(j => j.Id).ToList();
        var steps = new List<JourneyStep>();
        foreach (var j in journeys)
            if (j.LiveVersion is { } v && await DefinitionAsync(j.Id, v, ct) is { Steps: { } some }) steps.AddRange(some);
        var used = await db.JourneyRuns.AsNoTracking().Where(r => journeyIds.Contains(r.JourneyId) && entryKeys.Contains(r.EntryKey))
            .Select(r => new { r.JourneyId, r.EntryKey }).ToListAsync(ct);
        // Re-entry needs, per customer and journey, only whether a walk is open and when the latest began: one row each, however
        // many walks they finished before.
        var previous = await db.JourneyRuns.AsNoTracking().Where(r => journeyIds.Contains(r.JourneyId) && profileIds.Contains(r.ProfileId))
            .GroupBy(r => new { r.JourneyId, r.ProfileId })
            .Select(g => new
            {
                g.Key.JourneyId, g.Key.ProfileId, EnteredAt = g.Max(r => r.EnteredAt),
                Open = g.Count(r => r.Status == JourneyRunStatus.Active || r.Status == JourneyRunStatus.Waiting) > 0,
            })
            .ToListAsync(ct);
        // The sender reads the live known customers among them for their addresses: those are the ones who may enter.
        var known = await messages.PrimeAsync(profileIds, ct);
        _entries = new EntryFacts(journeyIds.ToHashSet(), profileIds.ToHashSet(), entryKeys.ToHashSet(StringComparer.Ordinal),
            used.Select(u => (u.JourneyId, u.EntryKey)).ToHashSet(), previous.ToLookup(r => (r.JourneyId, r.ProfileId), r => new EarlierWalk(r.Open ? JourneyRunStatus.Active : JourneyRunStatus.Completed, r.EnteredAt)),
            known);
        var traitsNeeded = steps.Any(t => t.Kind == "wait_until" || (t.Kind == "send" && t.Channel != ConsentChannels.InApp));
        Dictionary<Guid, int>? marketing = null;
        if (steps.Any(t => t.Kind == "send" && t.Purpose == ConsentPurposes.Marketing))
        {
            var since = Now - options.CurrentValue.FrequencyWindow;
            marketing = await db.EngagementMessages.Where(m => profileIds.Contains(m.ProfileId) && m.Purpose == ConsentPurposes.Marketing
                    && m.Source.StartsWith("journey:") && m.CreatedAt >= since)
                .GroupBy(m => m.ProfileId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        }
        _sends = new SendFacts(profileIds.ToHashSet(), traitsNeeded ? await traits.ReadAsync(profileIds, ct) : null, marketing);
    }

    /// <summary>
    /// Brings a known customer into the live version of a journey unless re-entry forbids it or this entry key brought them in
    /// already. The walk starts at once (its first step is due now). Returns the new walk, or null.
    /// </summary>
    public async Task<JourneyRun?> EnterAsync(Journey journey, JourneyDefinition d, Guid profileId, string entryKey, CancellationToken ct)
    {
        if (journey.Status != JourneyStatus.Live || journey.LiveVersion is not { } version) return null;
        var tracked = _begun.Where(r => r.JourneyId == journey.Id && (r.EntryKey == entryKey || r.ProfileId == profileId)
            && db.Entry(r).State == EntityState.Added).ToList();
        var primed = _entries is { } e && e.Covers(journey.Id, profileId, entryKey) ? e : null;
        if (tracked.Any(r => r.EntryKey == entryKey)
            || (primed is not null ? primed.UsedKeys.Contains((journey.Id, entryKey)) : await db.JourneyRuns.AnyAsync(r => r.JourneyId == journey.Id && r.EntryKey == entryKey, ct)))
            return null;
        var previous = primed is not null
            ? primed.Previous[(journey.Id, profileId)].ToList()
            : await db.JourneyRuns.AsNoTracking().Where(r => r.JourneyId == journey.Id && r.ProfileId == profileId)
                .Select(r => new EarlierWalk(r.Status, r.EnteredAt)).ToListAsync(ct);
        previous.AddRange(tracked.Where(r => r.ProfileId == profileId).Select(r => new EarlierWalk(r.Status, r.EnteredAt)));
        if (previous.Any(r => JourneyRunStatus.Open.Contains(r.Status))) return null;
        var allowed = (d.Reentry ?? "after_exit") switch
        {
            "never" => previous.Count == 0,
            "after_days" => previous.All(r => r.EnteredAt <= Now.AddDays(-(d.ReentryDays ?? 1))),
            _ => true,
        };
        if (!allowed) return null;
        if (primed is not null ? !primed.Known.Contains(profileId) : await directory.FindAsync(profileId, ct) is not { IsKnown: true } card || card.Id != profileId) return null;

        var run = new JourneyRun
        {
            JourneyId = journey.Id, Version = version, ProfileId = profileId, EntryKey = entryKey, EnteredAt = Now,
            StepId = d.Steps![0].Id, DueAt = Now,
        };
        db.JourneyRuns.Add(run);
        _begun.Add(run);
        log.Append(db, profileId, InteractionTypes.JourneyEntered, "engagement", new JourneyEnteredProperties(journey.Id, journey.Name, version),
            sourceKind: "journey", sourceId: journey.Id.ToString());
        return run;
    }

    /// <summary>
    /// Takes the walk's due steps until it has to wait or ends; with <paramref name="callOut"/> false it stops before a webhook call
    /// (still due). The caller saves.
    /// </summary>
    public async Task WalkAsync(JourneyRun run, Journey journey, JourneyDefinition d, CancellationToken ct, bool callOut = true)
    {
        if (run.Status == JourneyRunStatus.Waiting)
        {
            // The interaction waited for did not come in time.
            var waiting = d.Step(run.StepId);
            Log(run, run.StepId ?? "", JourneyOutcomes.TimedOut);
            if (waiting?.Timeout is { } timeout) Move(run, timeout, Now);
            else { End(run, journey, JourneyRunStatus.Exited); return; }
        }
        for (var guard = 0; guard <= JourneyDefinitions.MaxSteps && run.Status == JourneyRunStatus.Active; guard++)
        {
            if (d.Step(run.StepId) is not { } step) { End(run, journey, JourneyRunStatus.Completed); return; }
            if (step.Kind == "webhook" && !callOut) return;
            if (!await TakeAsync(run, journey, d, step, ct)) return;
        }
    }

    /// <summary>Takes one step; false when the walk now waits (or ended).</summary>
    private async Task<bool> TakeAsync(JourneyRun run, Journey journey, JourneyDefinition d, JourneyStep step, CancellationToken ct)
    {
        var id = step.Id!;
        switch (step.Kind)
        {
            case "wait":
                Log(run, id, JourneyOutcomes.Done);
                Move(run, d.After(step), Now + step.Delay);
                return run.StepId is not null ? false : EndIfNoStep(run, journey);
            case "wait_until":
                Log(run, id, JourneyOutcomes.Done);
                Move(run, d.After(step), NextLocalHour(await ZoneAsync(run.ProfileId, ct), step.Hour!.Value));
                return run.StepId is not null ? false : EndIfNoStep(run, journey);
            case "wait_for":
                run.Status = JourneyRunStatus.Waiting;
                run.DueAt = Now + step.Delay;
                return false;
            case "send":
                return await SendAsync(run, journey, d, step, ct);
            case "condition":
            {
                var rule = step.If!;
                var yes = await new SegmentQuery(db, Now).Matching(rule).AnyAsync(p => p.Id == run.ProfileId, ct);
                Log(run, id, yes ? JourneyOutcomes.Yes : JourneyOutcomes.No);
                run.StepId = yes ? d.After(step) : step.Else;
                return true;
            }
            case "split":
            {
                var arm = Pick(step.Arms!, run.Id);
                run.Arm = arm.Name;
                if (arm.Holdout == true)
                {
                    // The holdout gets nothing more and is watched for the goal, as the baseline of the other arms.
                    Log(run, id, JourneyOutcomes.Holdout);
                    End(run, journey, JourneyRunStatus.Completed);
                    return false;
                }
                Log(run, id, JourneyOutcomes.Done);
                run.StepId = arm.Goto ?? d.After(step);
                return true;
            }
            case "tag":
                Log(run, id, await traits.TagAsync(run.ProfileId, step.Tag!, step.Remove != true, ct) ? JourneyOutcomes.Done : JourneyOutcomes.NoAddress);
                run.StepId = d.After(step);
                return true;
            case "set_trait":
                Log(run, id, await traits.SetAsync(run.ProfileId, step.Trait!, step.Value, ct) ? JourneyOutcomes.Done : JourneyOutcomes.NoAddress);
                run.StepId = d.After(step);
                return true;
            case "task":
                db.StaffTasks.Add(new StaffTask
                {
                    Title = step.Title!, ProfileId = run.ProfileId, Role = step.Role!, Source = $"journey:{journey.Id:N}", CreatedAt = Now,
                });
                Log(run, id, JourneyOutcomes.Done);
                run.StepId = d.After(step);
                return true;
            case "webhook":
                return await CallAsync(run, journey, d, step, ct);
            case "survey":
            {
                var surveyId = step.Survey ?? await db.Surveys.AsNoTracking().Where(s => s.Active && s.Kind == step.SurveyKind)
                    .OrderBy(s => s.CreatedAt).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
                var result = surveyId is { } sid
                    ? (await surveys.InviteAsync(run.ProfileId, sid, $"journey:{run.Id:N}:{step.Id}", null, ct)).Outcome
                    : Surveys.SurveyInviteOutcome.NoSurvey;
                Log(run, id, result switch
                {
                    Surveys.SurveyInviteOutcome.Sent or Surveys.SurveyInviteOutcome.AlreadyInvited => JourneyOutcomes.Sent,
                    Surveys.SurveyInviteOutcome.NotReached => JourneyOutcomes.NoConsent,
                    _ => JourneyOutcomes.Failed,
                });
                run.StepId = d.After(step);
                return true;
            }
            case "exit":
                Log(run, id, JourneyOutcomes.Done);
                End(run, journey, JourneyRunStatus.Exited);
                return false;
            default:
                // A step kind this version of the product does not know (a newer node published it): leave rather than guess.
                Log(run, id, JourneyOutcomes.Failed);
                End(run, journey, JourneyRunStatus.Exited);
                return false;
        }
    }

    private bool EndIfNoStep(JourneyRun run, Journey journey)
    {
        End(run, journey, JourneyRunStatus.Completed);
        return false;
    }

    private async Task<bool> SendAsync(JourneyRun run, Journey journey, JourneyDefinition d, JourneyStep step, CancellationToken ct)
    {
        var o = options.CurrentValue;
        // Quiet hours hold the message (not in-app notices, which wait in the bell anyway) until the customer's morning.
        if (step.Channel != ConsentChannels.InApp && QuietUntil(await ZoneAsync(run.ProfileId, ct), o) is { } morning)
        {
            if (run.DueAt != morning) Log(run, step.Id!, JourneyOutcomes.Deferred);
            run.DueAt = morning;
            return false;
        }
        string outcome;
        if (step.Purpose == ConsentPurposes.Marketing && await MarketingSentAsync(run.ProfileId, o.FrequencyWindow, ct) >= o.FrequencyCap)
            outcome = JourneyOutcomes.Capped;
        else
        {
            var result = await messages.SendAsync(new OutgoingMessage(run.ProfileId, step.Channel!, step.Purpose!,
                SendKey: $"journey:{run.Id:N}:{step.Id}", Source: $"journey:{journey.Id:N}:{step.Id}",
                TemplateId: step.TemplateId, Subject: step.Subject ?? journey.Name, Body: step.Body, Link: step.Link,
                Data: new Dictionary<string, string> { ["journey"] = journey.Name }, KeyIsNew: db.Entry(run).State == EntityState.Added), ct);
            outcome = SendOutcomes.Word(result);
        }
        Log(run, step.Id!, outcome);
        run.StepId = d.After(step);
        return true;
    }

    /// <summary>Marketing messages journeys sent this customer within the window, these not yet saved included (the frequency cap).</summary>
    private async Task<int> MarketingSentAsync(Guid profileId, TimeSpan window, CancellationToken ct)
    {
        var since = Now - window;
        var saved = _sends is { MarketingSent: { } primed } sends && sends.Profiles.Contains(profileId) ? primed.GetValueOrDefault(profileId)
            : await db.EngagementMessages.CountAsync(m => m.ProfileId == profileId && m.Purpose == ConsentPurposes.Marketing
                && m.Source.StartsWith("journey:") && m.CreatedAt >= since, ct);
        return saved + db.ChangeTracker.Entries<EngagementMessage>().Count(e => e.State == EntityState.Added
            && e.Entity.ProfileId == profileId && e.Entity.Purpose == ConsentPurposes.Marketing && e.Entity.Source.StartsWith("journey:", StringComparison.Ordinal));
    }

    private async Task<bool> CallAsync(JourneyRun run, Journey journey, JourneyDefinition d, JourneyStep step, CancellationToken ct)
    {
        var contact = await traits.ContactAsync(run.ProfileId, ct);
        var body = JsonSerializer.Serialize(new
        {
            journey = new { id = journey.Id, name = journey.Name, version = run.Version, step = step.Id, arm = run.Arm },
            customer = new { id = run.ProfileId, email = contact?.Email, firstName = contact?.FirstName, lastName = contact?.LastName },
            runId = run.Id, at = Now,
        }, JsonSerializerOptions.Web);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, step.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (options.CurrentValue.WebhookSecret is { Length: > 0 } secret)
                request.Headers.Add(Platform.Webhooks.WebhookSender.SignatureHeader, Platform.Signing.HmacSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
            // The walk and step identify the call, so a receiver can drop a repeat after a lost answer.
            request.Headers.Add("Centric-Delivery-Id", $"{run.Id:N}:{step.Id}");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode) throw new HttpRequestException($"answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            if (++run.Attempts < 5)
            {
                // Try again later with a doubling delay; after five failures the walk goes on without it.
                run.DueAt = Now + TimeSpan.FromMinutes(Math.Pow(2, run.Attempts));
                EngagementLog.JourneyWebhookFailed(logger, journey.Id, step.Id!, run.Attempts, e.Message);
                return false;
            }
            Log(run, step.Id!, JourneyOutcomes.Failed);
            run.Attempts = 0;
            run.StepId = d.After(step);
            return true;
        }
        Log(run, step.Id!, JourneyOutcomes.Done);
        run.Attempts = 0;
        run.StepId = d.After(step);
        return true;
    }

    /// <summary>The wait_for step is over because the interaction came: on to the step after it.</summary>
    public void Resume(JourneyRun run, JourneyDefinition d)
    {
        if (d.Step(run.StepId) is not { } waiting) return;
        Log(run, waiting.Id!, JourneyOutcomes.Event);
        run.Status = JourneyRunStatus.Active;
        run.StepId = d.After(waiting);
        run.DueAt = Now;
    }

    /// <summary>The goal happened: an open walk ends as converted; a finished one (the holdout too) counts it within the window.</summary>
    public void Convert(JourneyRun run, Journey journey, JourneyDefinition d, DateTime at)
    {
        if (run.ConvertedAt is not null || at > run.EnteredAt.AddDays(d.ConversionDays()) || at < run.EnteredAt) return;
        run.ConvertedAt = at;
        if (JourneyRunStatus.Open.Contains(run.Status)) End(run, journey, JourneyRunStatus.Goal);
    }

    public void End(JourneyRun run, Journey journey, string status)
    {
        run.Status = status;
        run.EndedAt = Now;
        run.DueAt = null;
        log.Append(db, run.ProfileId, InteractionTypes.JourneyExited, "engagement",
            new JourneyExitedProperties(journey.Id, journey.Name, run.Version, status, run.Arm), sourceKind: "journey", sourceId: journey.Id.ToString());
    }

    private static void Move(JourneyRun run, string? stepId, DateTime due)
    {
        run.StepId = stepId;
        run.Status = JourneyRunStatus.Active;
        run.DueAt = due;
    }

    private void Log(JourneyRun run, string stepId, string outcome) =>
        db.JourneyStepLogs.Add(new JourneyStepLog { RunId = run.Id, JourneyId = run.JourneyId, Version = run.Version, StepId = stepId, Outcome = outcome, At = Now });

    /// <summary>A stable arm per walk: the same walk always lands in the same arm, whichever node asks.</summary>
    internal static JourneyArm Pick(IReadOnlyList<JourneyArm> arms, Guid runId)
    {
        var bucket = (int)(BitConverter.ToUInt32(SHA256.HashData(runId.ToByteArray()), 0) % 100);
        var upTo = 0;
        foreach (var arm in arms)
            if (bucket < (upTo += arm.Percent ?? 0)) return arm;
        return arms[^1];
    }

    /// <summary>The customer's time zone: their "timezone" trait when it names one, else the business's.</summary>
    private async Task<TimeZoneInfo> ZoneAsync(Guid profileId, CancellationToken ct)
    {
        var t = _sends is { Traits: { } primed } sends && sends.Profiles.Contains(profileId)
            ? primed.GetValueOrDefault(profileId) ?? new Dictionary<string, string>()
            : await traits.ReadAsync(profileId, ct);
        return TimeZones.Find(t.GetValueOrDefault("timezone")) ?? TimeZones.Find(options.CurrentValue.TimeZone) ?? TimeZoneInfo.Utc;
    }

    /// <summary>The end of the quiet hours when the customer's clock is inside them now; null outside.</summary>
    private DateTime? QuietUntil(TimeZoneInfo zone, EngagementOptions o)
    {
        if (o.QuietHoursStart == o.QuietHoursEnd) return null;
        var local = TimeZoneInfo.ConvertTimeFromUtc(Now, zone);
        var hour = local.Hour;
        var quiet = o.QuietHoursStart < o.QuietHoursEnd
            ? hour >= o.QuietHoursStart && hour < o.QuietHoursEnd
            : hour >= o.QuietHoursStart || hour < o.QuietHoursEnd;
        return quiet ? NextLocalHour(zone, o.QuietHoursEnd) : null;
    }

    /// <summary>The next moment (after now) the customer's clock shows <paramref name="hour"/>:00, in UTC.</summary>
    private DateTime NextLocalHour(TimeZoneInfo zone, int hour)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(Now, zone);
        var at = local.Date.AddHours(hour);
        if (at <= local) at = at.AddDays(1);
        // A time skipped by a clock change (spring forward) is taken an hour later.
        while (zone.IsInvalidTime(at)) at = at.AddHours(1);
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(at, DateTimeKind.Unspecified), zone);
    }

    internal static string DateKey(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
