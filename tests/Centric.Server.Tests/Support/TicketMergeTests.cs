using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Support.Chat;
using Centric.Server.Support.Email;
using Centric.Server.Support.Measures;
using Centric.Server.Support.Messaging;
using Centric.Server.Support.Tickets;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Support;

/// <summary>Ticket merge and split, the reply collision check, and tickets following the person through profile merges and privacy requests.</summary>
public abstract class TicketMergeTests(CentricAppFactory app)
{
    private static async Task<JsonElement> EmailAsync(HttpClient client, object email)
    {
        var response = await client.SendAsync(SupportTests.Signed(email));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    /// <summary>A ticket opened by mail from <paramref name="email"/>; returns its number and the mail's Message-ID.</summary>
    private static async Task<(string Number, string MessageId)> OpenAsync(HttpClient client, string email, string subject, string text)
    {
        var id = SupportTests.MessageId();
        var opened = await EmailAsync(client, new { from = $"Ana Silva <{email}>", subject, text, messageId = id });
        return (opened.GetProperty("ticketNumber").GetString()!, id);
    }

    private Task<List<TicketMessage>> ThreadAsync(string number) => app.WithDbAsync(db =>
        db.TicketMessages.Where(m => db.Tickets.Any(t => t.Number == number && t.Id == m.TicketId)).OrderBy(m => m.Sequence).ToListAsync());

    private Task<Ticket> TicketAsync(string number) => app.WithDbAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Number == number));

    private async Task<string> ReplyAsync(string number, string text)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var ticket = (await scope.ServiceProvider.GetRequiredService<TicketService>().FindAsync(number, default))!;
        var reply = await scope.ServiceProvider.GetRequiredService<EmailChannel>().ReplyAsync(ticket, "agent-1", "Ines", text, null, default);
        return reply.Message.ExternalMessageId!;
    }

    [SkippableFact]
    public async Task Merging_moves_every_message_into_the_target_closes_the_source_and_mail_to_the_source_lands_in_the_target()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        using var api = app.AdminClient();
        var email = Json.NewEmail();
        var (target, _) = await OpenAsync(client, email, "Parcel late", "Where is order 1?");
        var (source, sourceFirst) = await OpenAsync(client, email, "Also the parcel", "Is order 1 coming?");
        var ourReply = await ReplyAsync(source, "It ships tomorrow.");
        var targetBefore = await ThreadAsync(target);
        var day = (await TicketAsync(target)).CreatedAt.Date;
        async Task<int> TicketsCountedAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            var measures = await scope.ServiceProvider.GetRequiredService<SupportMeasuresService>().ComputeAsync(day, day.AddDays(2), default);
            return measures.VolumeByChannel.Values.Sum();
        }
        var countedBefore = await TicketsCountedAsync();

        var response = await api.PostAsJsonAsync($"/api/v1/support/tickets/{source}/merge", new { into = target });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadJsonAsync();
        Assert.Equal((target, 2), (result.GetProperty("ticketNumber").GetString(), result.GetProperty("messagesMoved").GetInt32()));

        // The target holds both threads in time order, its own messages keep their numbers, the moved ones follow, and a note says where they came from.
        var thread = await ThreadAsync(target);
        Assert.Equal(["Where is order 1?", "Is order 1 coming?", "It ships tomorrow."], thread.Where(m => m.Direction != MessageDirection.Note).Select(m => m.BodyText));
        Assert.Equal(targetBefore.Select(m => (m.Id, m.Sequence)), thread.Take(targetBefore.Count).Select(m => (m.Id, m.Sequence)));
        Assert.Equal(Enumerable.Range(1, thread.Count).Select(i => (long)i), thread.Select(m => m.Sequence));
        Assert.Equal(thread.OrderBy(m => m.CreatedAt).ThenBy(m => m.Sequence).Select(m => m.Id), thread.Select(m => m.Id));
        Assert.Contains($"Merged {source} into this ticket", thread[^1].BodyText, StringComparison.Ordinal);
        var targetTicket = await TicketAsync(target);
        Assert.Equal(thread.Count, targetTicket.LastSequence);
        Assert.NotNull(targetTicket.FirstResponseAt);

        var closed = await TicketAsync(source);
        Assert.Equal((TicketStatus.Closed, targetTicket.Id), (closed.Status, closed.MergedIntoTicketId));
        var note = Assert.Single(await ThreadAsync(source));
        Assert.Equal((MessageDirection.Note, $"Merged into {target}."), (note.Direction, note.BodyText));
        var footprints = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == closed.ProfileId && i.SourceId == source)
            .OrderBy(i => i.ReceivedAt).ThenBy(i => i.Id).Select(i => new { i.Type, i.Properties }).ToListAsync());
        var merged = Assert.Single(footprints, f => f.Type == "ticket_merged");
        Assert.Equal(target, JsonDocument.Parse(merged.Properties).RootElement.GetProperty("intoTicketNumber").GetString());
        Assert.Contains(footprints, f => f.Type == "ticket_status_changed" && f.Properties.Contains("\"to\":\"Closed\"", StringComparison.Ordinal));
        // The support measures count one request, not two.
        Assert.Equal(countedBefore - 1, await TicketsCountedAsync());

        // Replies to the source's mail, by header or by its number in the subject, now thread into the target.
        var byHeader = await EmailAsync(client, new { from = email, subject = "Re: Also the parcel", text = "Thanks!", messageId = SupportTests.MessageId(), inReplyTo = $"<{ourReply}>" });
        Assert.Equal((target, false), (byHeader.GetProperty("ticketNumber").GetString(), byHeader.GetProperty("created").GetBoolean()));
        var byFirst = await EmailAsync(client, new { from = email, subject = "Fwd", text = "See below", messageId = SupportTests.MessageId(), references = sourceFirst });
        Assert.Equal(target, byFirst.GetProperty("ticketNumber").GetString());
        var byToken = await EmailAsync(client, new { from = email, subject = $"Re: Also the parcel [{source}]", text = "Any news?", messageId = SupportTests.MessageId() });
        Assert.Equal((target, false), (byToken.GetProperty("ticketNumber").GetString(), byToken.GetProperty("created").GetBoolean()));
        Assert.Equal(3, (await ThreadAsync(target)).Count(m => m.BodyText is "Thanks!" or "See below" or "Any news?"));
    }

    [SkippableFact]
    public async Task A_live_chat_merged_into_an_email_ticket_carries_on_in_the_target()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var email = Json.NewEmail();
        var (target, _) = await OpenAsync(client, email, "Broken lamp", "My lamp arrived broken.");
        var profileId = (await TicketAsync(target)).ProfileId;
        var who = new ChatParticipant(profileId, null);
        await using var scope = app.Services.CreateAsyncScope();
        var chat = scope.ServiceProvider.GetRequiredService<ChatService>();
        var first = await chat.SendAsync(who, Json.NewId(), "Hello, about my lamp", default);
        var chatTicket = (await chat.ResumeAsync(who, null, 0, default)).TicketNumber!;
        Assert.NotEqual(target, chatTicket);

        await scope.ServiceProvider.GetRequiredService<TicketMerges>().MergeAsync(chatTicket, target, "agent-1", "Ines", default);
        // The customer's next chat message joins the target, after everything already in it.
        var next = await chat.SendAsync(who, Json.NewId(), "Are you still there?", default);
        var state = await chat.ResumeAsync(who, null, 0, default);
        Assert.Equal(target, state.TicketNumber);
        Assert.Equal(["My lamp arrived broken.", "Hello, about my lamp", "Are you still there?"], state.Messages.Select(m => m.Text));
        Assert.True(next.Sequence > first.Sequence);
        Assert.Equal(next.Id, (await ThreadAsync(target)).Single(m => m.BodyText == "Are you still there?").Id);
    }

    [SkippableFact]
    public async Task Only_open_tickets_of_the_same_customer_merge()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        using var api = app.AdminClient();
        var (mine, _) = await OpenAsync(client, Json.NewEmail(), "Mine", "My question");
        var (theirs, _) = await OpenAsync(client, Json.NewEmail(), "Theirs", "Their question");

        async Task<(HttpStatusCode, string?)> MergeAsync(string from, object body)
        {
            var response = await api.PostAsJsonAsync($"/api/v1/support/tickets/{from}/merge", body);
            return (response.StatusCode, (await response.ReadJsonAsync()).GetProperty("type").GetString());
        }
        Assert.Equal((HttpStatusCode.Conflict, ProblemTypes.ForCode("ticket-merge-other-customer")), await MergeAsync(mine, new { into = theirs }));
        Assert.Equal((HttpStatusCode.Conflict, ProblemTypes.ForCode("ticket-merge-same")), await MergeAsync(mine, new { into = mine }));
        Assert.Equal((HttpStatusCode.NotFound, ProblemTypes.ForCode("ticket-not-found")), await MergeAsync(mine, new { into = "T-000001" }));
        Assert.Equal((HttpStatusCode.BadRequest, ProblemTypes.Validation), await MergeAsync(mine, new { }));
        // Nothing moved.
        Assert.Single(await ThreadAsync(mine));
        Assert.Single(await ThreadAsync(theirs));

        var (other, _) = await OpenAsync(client, (await app.WithDbAsync(db => db.Profiles.Where(p => db.Tickets.Any(t => t.Number == mine && t.ProfileId == p.Id)).Select(p => p.Email).SingleAsync()))!, "Closed", "Old question");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var tickets = scope.ServiceProvider.GetRequiredService<TicketService>();
            await tickets.ChangeStatusAsync((await tickets.FindAsync(other, default))!, TicketStatus.Closed, "agent-1", default);
        }
        Assert.Equal((HttpStatusCode.Conflict, ProblemTypes.ForCode("ticket-closed")), await MergeAsync(other, new { into = mine }));

        // Merging needs a key allowed to change customer data.
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("customers:read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync($"/api/v1/support/tickets/{mine}/merge", new { into = other })).StatusCode);
    }

    [SkippableFact]
    public async Task Splitting_moves_the_chosen_messages_into_a_new_ticket_of_the_same_customer_and_replies_follow_them()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        using var api = app.AdminClient();
        var email = Json.NewEmail();
        var (number, first) = await OpenAsync(client, email, "Two questions", "Where is my parcel?");
        var second = SupportTests.MessageId();
        await EmailAsync(client, new { from = email, subject = "Re", text = "Also, can I change my address?", messageId = second, inReplyTo = first });
        var ourReply = await ReplyAsync(number, "Yes, tell us the new address.");
        var thread = await ThreadAsync(number);

        var bad = await api.PostAsJsonAsync($"/api/v1/support/tickets/{number}/split", new { messageIds = thread.Select(m => m.Id) });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var (elsewhere, _) = await OpenAsync(client, email, "Other", "Other question");
        var foreign = (await ThreadAsync(elsewhere))[0].Id;
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync($"/api/v1/support/tickets/{number}/split", new { messageIds = new[] { foreign } })).StatusCode);
        Assert.Equal(3, (await ThreadAsync(number)).Count);

        var response = await api.PostAsJsonAsync($"/api/v1/support/tickets/{number}/split", new { fromMessageId = thread[1].Id, subject = "Address change" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.ReadJsonAsync()).GetProperty("ticketNumber").GetString()!;
        var split = await TicketAsync(created);
        var original = await TicketAsync(number);
        Assert.Equal((original.ProfileId, "Address change", TicketStatus.Open, "email"), (split.ProfileId, split.Subject, split.Status, split.Channel));
        Assert.Equal(["Also, can I change my address?", "Yes, tell us the new address.", $"Split from {number}."], (await ThreadAsync(created)).Select(m => m.BodyText));
        Assert.Equal([1L, 2L, 3L], (await ThreadAsync(created)).Select(m => m.Sequence));
        Assert.NotNull(split.FirstResponseAt);
        Assert.Null(original.FirstResponseAt);
        Assert.Equal(["Where is my parcel?", $"Split 2 messages off into {created}."], (await ThreadAsync(number)).Select(m => m.BodyText));
        Assert.True(await app.WithDbAsync(db => db.Interactions.AnyAsync(i => i.Type == "ticket_created" && i.SourceId == created && i.ProfileId == original.ProfileId)));

        // The customer answers the reply that moved: it lands in the new ticket.
        var answer = await EmailAsync(client, new { from = email, subject = "Re: Two questions", text = "It is 1 New Street.", messageId = SupportTests.MessageId(), inReplyTo = $"<{ourReply}>" });
        Assert.Equal(created, answer.GetProperty("ticketNumber").GetString());
    }

    [SkippableFact]
    public async Task A_reply_written_against_an_out_of_date_thread_is_held_back_until_the_agent_has_seen_the_new_messages()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var email = Json.NewEmail();
        var (number, first) = await OpenAsync(client, email, "Refund", "I want a refund.");
        var seen = (await TicketAsync(number)).LastSequence;

        await using var scope = app.Services.CreateAsyncScope();
        var check = scope.ServiceProvider.GetRequiredService<ThreadCheck>();
        var tickets = scope.ServiceProvider.GetRequiredService<TicketService>();
        var ticket = (await tickets.FindAsync(number, default))!;
        await check.EnsureCurrentAsync(ticket, seen, "agent-1", default);

        // The agent's own note does not count; a colleague's answer and the customer's new mail do.
        await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Note, "web", "Ines", "Looking into it", Author: "agent-1"), default);
        await check.EnsureCurrentAsync(ticket, seen, "agent-1", default);
        await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Outbound, "web", "Sam", "Refund is on its way.", Author: "agent-2"), default);
        await EmailAsync(client, new { from = email, subject = "Re: Refund", text = "Thank you!", messageId = SupportTests.MessageId(), inReplyTo = first });
        var stale = await Assert.ThrowsAsync<DomainException>(() => check.EnsureCurrentAsync(ticket, seen, "agent-1", default));
        Assert.Equal("ticket-thread-changed", stale.Code);
        Assert.Contains("2 new messages", stale.Message, StringComparison.Ordinal);
        Assert.Equal(["Refund is on its way.", "Thank you!"], (await check.NewerAsync(ticket.Id, seen, "agent-1", default)).Select(m => m.BodyText));

        // Once the page has shown them (the form carries the newest sequence), the reply goes.
        var now = (await TicketAsync(number)).LastSequence;
        await check.EnsureCurrentAsync(ticket, now, "agent-1", default);
    }

    [SkippableFact]
    public async Task A_profile_merge_moves_the_merged_profiles_tickets_chats_and_queued_replies_to_the_survivor()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var (survivorEmail, mergedEmail) = (Json.NewEmail(), Json.NewEmail());
        var (kept, _) = await OpenAsync(client, survivorEmail, "First", "Question one");
        var (moving, _) = await OpenAsync(client, mergedEmail, "Second", "Question two");
        var survivorId = (await TicketAsync(kept)).ProfileId;
        var mergedTicket = await TicketAsync(moving);
        await app.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            db.ChatConversations.Add(new ChatConversation { TicketId = mergedTicket.Id, ProfileId = mergedTicket.ProfileId, CreatedAt = now, UpdatedAt = now });
            db.ChatAttachments.Add(new ChatAttachment { TicketId = mergedTicket.Id, ProfileId = mergedTicket.ProfileId, MessageId = Guid.NewGuid(), FileName = "a.png", ContentType = "image/png", Content = [1], Size = 1, CreatedAt = now });
            db.OutboundMessages.Add(new OutboundMessage { TicketMessageId = Guid.NewGuid(), ProfileId = mergedTicket.ProfileId, TicketNumber = moving, Channel = "sms", To = "+441632960001", Text = "Hi", CreatedAt = now, NextAttemptAt = now.AddYears(1) });
            return await db.SaveChangesAsync();
        });

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var profiles = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            await using var tx = await db.Database.BeginTransactionAsync();
            await profiles.MergeAsync((await profiles.FindAsync(survivorId, default))!, (await profiles.FindAsync(mergedTicket.ProfileId, default))!, "verified email shared", default);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        Assert.Equal(survivorId, (await TicketAsync(moving)).ProfileId);
        Assert.All(await ThreadAsync(moving), m => Assert.Equal(survivorId, m.ProfileId));
        var rows = await app.WithDbAsync(async db => new[]
        {
            await db.ChatConversations.Where(c => c.TicketId == mergedTicket.Id).Select(c => c.ProfileId).SingleAsync(),
            await db.ChatAttachments.Where(a => a.TicketId == mergedTicket.Id).Select(a => a.ProfileId).SingleAsync(),
            await db.OutboundMessages.Where(o => o.TicketNumber == moving).Select(o => o.ProfileId).SingleAsync(),
        });
        Assert.All(rows, id => Assert.Equal(survivorId, id));
        Assert.False(await app.WithDbAsync(db => db.TicketMessages.AnyAsync(m => m.ProfileId == mergedTicket.ProfileId)));

        // The customer sees both requests in the portal's list of their own tickets.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var own = await scope.ServiceProvider.GetRequiredService<TicketService>().ListOwnAsync(survivorId, default);
            Assert.Equal(new[] { kept, moving }.Order(StringComparer.Ordinal), own.Select(t => t.Number).Order(StringComparer.Ordinal));
        }
    }

    [SkippableFact]
    public async Task Export_includes_the_persons_tickets_and_messages_and_erasure_removes_their_words_and_addresses_but_keeps_the_measures()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        using var api = app.AdminClient();
        var email = Json.NewEmail();
        var first = SupportTests.MessageId();
        var opened = await EmailAsync(client, new
        {
            from = $"Eva Erase <{email}>", subject = "My address is 5 Elm Road", text = $"Please write to {email} or call +4915112345678.",
            html = $"<p>Please write to {email}</p>", messageId = first, attachments = new[] { new { fileName = "eva-passport.jpg", contentType = "image/jpeg", size = 10 } },
        });
        var number = opened.GetProperty("ticketNumber").GetString()!;
        await ReplyAsync(number, "Thanks Eva, noted.");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var tickets = scope.ServiceProvider.GetRequiredService<TicketService>();
            await tickets.ChangeStatusAsync((await tickets.FindAsync(number, default))!, TicketStatus.Solved, "agent-1", default);
        }
        var before = await TicketAsync(number);

        var export = await (await api.PostAsync($"/api/v1/customers/{before.ProfileId}/export", null)).ReadJsonAsync();
        var ticket = Assert.Single(export.GetProperty("support").EnumerateArray());
        Assert.Equal((number, "My address is 5 Elm Road"), (ticket.GetProperty("number").GetString(), ticket.GetProperty("subject").GetString()));
        var texts = ticket.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ToList();
        Assert.Equal([$"Please write to {email} or call +4915112345678.", "Thanks Eva, noted."], texts);
        Assert.Contains("eva-passport.jpg", ticket.GetProperty("messages")[0].GetProperty("attachments").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await api.DeleteAsync($"/api/v1/customers/{before.ProfileId}")).StatusCode);
        var after = await TicketAsync(number);
        Assert.Equal("(erased)", after.Subject);
        // The measures stay: when it opened, was first answered and solved, on which channel, in which state.
        Assert.Equal((before.CreatedAt, before.FirstResponseAt, before.SolvedAt, before.Status, before.Channel, before.LastSequence),
            (after.CreatedAt, after.FirstResponseAt, after.SolvedAt, after.Status, after.Channel, after.LastSequence));
        var messages = await ThreadAsync(number);
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(("(erased)", (string?)null, (string?)null, (string?)null), (m.BodyText, m.BodyHtml, m.Attachments, m.ExternalMessageId)));
        Assert.Equal("Former customer", messages.Single(m => m.Direction == MessageDirection.Inbound).AuthorName);
        var leftovers = await app.WithDbAsync(db => db.TicketMessages.Where(m => m.TicketId == before.Id)
            .Select(m => m.BodyText + m.AuthorName + (m.BodyHtml ?? "") + (m.ExternalMessageId ?? "")).ToListAsync());
        Assert.DoesNotContain(leftovers, text => text.Contains(email, StringComparison.OrdinalIgnoreCase) || text.Contains("Eva", StringComparison.Ordinal));
        var again = await (await api.PostAsync($"/api/v1/customers/{before.ProfileId}/export", null)).ReadJsonAsync();
        Assert.DoesNotContain(email, again.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }
}

public sealed class TicketMergeOnSqlite(SupportSqliteApp app) : TicketMergeTests(app), IClassFixture<SupportSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class TicketMergeOnPostgres(SupportPostgresApp app) : TicketMergeTests(app), IClassFixture<SupportPostgresApp>;
