using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Import;
using Centric.Server.Platform.Interactions;
using Centric.Server.Support.Automation;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Import;

/// <summary>
/// `centric import tickets`: a helpdesk's history, one ticket a row, with its first message from the customer, solved when the
/// file says so, and its satisfaction rating when it has one. Each lands with its interactions at their original times, so
/// support measures, churn features and the timeline include it. Keyed by ticket_id (the ticket's number is derived from it),
/// so a second run stores nothing twice.
/// </summary>
internal sealed class TicketImport(CentricDbContext db, ICustomerImport customers, InteractionLog interactions) : IImporter
{
    private const int Batch = 1_000;

    public string Kind => "tickets";

    public IReadOnlyList<string> Required { get; } = ["ticket_id", "customer_id|email", "created_at", "subject", "message"];

    private sealed record Row(int Line, string Id, ImportedCustomer Customer, DateTime CreatedAt, string Subject, string Message, string Channel,
        DateTime? SolvedAt, int? Csat);

    public async Task<ImportReport> RunAsync(ImportFile file, bool dryRun, IProgress<ImportProgress> progress, CancellationToken ct)
    {
        var report = new ImportReport("tickets");
        var batch = new List<Row>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in file.RowsAsync(Required, ct))
        {
            report.Rows++;
            var (ticket, problem) = Read(row);
            if (ticket is not null && !seen.Add(ticket.Id)) problem = $"ticket_id {ticket.Id} appears twice in the file; the first row is kept";
            if (problem is not null) { report.Bad(row.Line, problem); continue; }
            batch.Add(ticket!);
            if (batch.Count == Batch) await StoreAsync(batch, dryRun, report, ct);
            progress.Report(new ImportProgress("reading", file.Fraction, report.Rows, "rows"));
        }
        await StoreAsync(batch, dryRun, report, ct);
        return report;
    }

    private static (Row?, string?) Read(ImportRow row)
    {
        var id = row["ticket_id"];
        if (id.Length is 0 or > 200) return (null, "ticket_id is required (at most 200 characters)");
        var (customer, problem) = ImportedCustomer.Read(row);
        if (customer is null) return (null, problem);
        if (ImportFile.ParseTime(row["created_at"]) is not { } createdAt) return (null, $"created_at '{row["created_at"]}' is not an ISO 8601 date");
        var subject = row["subject"];
        if (subject.Length is 0 or > 300) return (null, "subject is required (at most 300 characters)");
        var message = row["message"];
        if (message.Length is 0 or > 20_000) return (null, "message is required (at most 20,000 characters)");
        var channel = row["channel"] is { Length: > 0 } c ? c.ToLowerInvariant() : SupportChannels.Email;
        if (!SupportChannels.All.Contains(channel)) return (null, $"channel '{row["channel"]}' is not one of {string.Join(", ", SupportChannels.All)}");
        var status = row["status"].ToLowerInvariant();
        if (status is not ("" or "open" or "solved" or "closed")) return (null, $"status '{row["status"]}' must be open or solved");
        DateTime? solvedAt = null;
        if (row.Has("solved_at"))
        {
            if (ImportFile.ParseTime(row["solved_at"]) is not { } at || at < createdAt) return (null, $"solved_at '{row["solved_at"]}' is not an ISO 8601 date after created_at");
            solvedAt = at;
        }
        else if (status is "solved" or "closed") solvedAt = createdAt;
        int? csat = null;
        if (row.Has("csat"))
        {
            if (!int.TryParse(row["csat"], NumberStyles.None, CultureInfo.InvariantCulture, out var rating) || rating is < 1 or > 5) return (null, $"csat '{row["csat"]}' must be 1 to 5");
            if (solvedAt is null) return (null, "csat is given for a ticket that is not solved");
            csat = rating;
        }
        return (new Row(row.Line, id, customer, createdAt, subject, message, channel, solvedAt, csat), null);
    }

    private async Task StoreAsync(List<Row> batch, bool dryRun, ImportReport report, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        var numbers = batch.Select(t => ImportFile.NumberFor("ticket", t.Id)).ToList();
        var stored = (await db.Tickets.Where(t => numbers.Contains(t.Number)).Select(t => t.Number).ToListAsync(ct)).ToHashSet();
        var fresh = batch.Where(t => !stored.Contains(ImportFile.NumberFor("ticket", t.Id))).ToList();
        report.AlreadyThere += batch.Count - fresh.Count;
        batch.Clear();
        if (dryRun) { report.Imported += fresh.Count; return; }
        if (fresh.Count == 0) return;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var profiles = await customers.ResolveAsync([.. fresh.Select(t => t.Customer)], ct);
        foreach (var t in fresh)
        {
            var profileId = profiles[t.Customer.Key];
            var number = ImportFile.NumberFor("ticket", t.Id);
            var ticket = new Ticket
            {
                Number = number, ProfileId = profileId, Channel = t.Channel, Subject = t.Subject, CreatedAt = t.CreatedAt,
                UpdatedAt = t.SolvedAt ?? t.CreatedAt, Status = t.SolvedAt is null ? TicketStatus.Open : TicketStatus.Solved, SolvedAt = t.SolvedAt,
                LastSequence = 1,
            };
            db.Tickets.Add(ticket);
            var message = new TicketMessage
            {
                TicketId = ticket.Id, ProfileId = profileId, Direction = MessageDirection.Inbound, Channel = t.Channel, AuthorName = "Customer",
                BodyText = t.Message, Sequence = 1, CreatedAt = t.CreatedAt,
            };
            db.TicketMessages.Add(message);
            var key = InteractionLog.ImportedPrefix + "ticket:" + number;
            interactions.Append(db, profileId, InteractionTypes.TicketCreated, t.Channel,
                new TicketCreatedProperties(number, t.Subject, t.Channel, ticket.Priority.ToString().ToLowerInvariant(), message.Id), "ticket", number, t.CreatedAt, key);
            if (t.SolvedAt is { } solved)
                interactions.Append(db, profileId, InteractionTypes.TicketStatusChanged, t.Channel,
                    new TicketStatusChangedProperties(number, "Open", "Solved", "import"), "ticket", number, solved, key + ":solved");
            if (t.Csat is { } rating)
            {
                db.CsatSurveys.Add(new CsatSurvey { TicketId = ticket.Id, ProfileId = profileId, TicketNumber = number, SentAt = t.SolvedAt!.Value, Rating = rating, AnsweredAt = t.SolvedAt });
                interactions.Append(db, profileId, InteractionTypes.CsatSubmitted, t.Channel, new CsatSubmittedProperties(number, rating, null), "ticket", number, t.SolvedAt, key + ":csat");
            }
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        report.Imported += fresh.Count;
    }

}
