using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Automation;

/// <summary>Customers rate a solved ticket once (1–5 and an optional comment) from the link in the survey mail.</summary>
public sealed class CsatService(CentricDbContext db, InteractionLog interactions, TimeProvider clock)
{
    /// <summary>The survey of the customer's own ticket; another customer's ticket number is simply not found.</summary>
    public Task<CsatSurvey?> FindOwnAsync(string ticketNumber, Guid profileId, CancellationToken ct) =>
        db.CsatSurveys.FirstOrDefaultAsync(s => s.TicketNumber == ticketNumber && s.ProfileId == profileId, ct);

    /// <summary>The survey a mail link opens: the ticket's number with the survey's secret key, whoever holds it.</summary>
    public async Task<CsatSurvey?> FindByKeyAsync(string ticketNumber, string key, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key)) return null;
        var survey = await db.CsatSurveys.FirstOrDefaultAsync(s => s.TicketNumber == ticketNumber, ct);
        return survey is not null && survey.AccessKey.Length > 0 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(survey.AccessKey), System.Text.Encoding.UTF8.GetBytes(key)) ? survey : null;
    }

    public async Task SubmitAsync(CsatSurvey survey, int rating, string? comment, CancellationToken ct)
    {
        if (rating is < 1 or > 5) throw RequestValidationException.For("rating", "A rating from 1 to 5.");
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim()[..Math.Min(comment.Trim().Length, 2000)];
        if (survey.AnsweredAt is not null) throw new DomainException("csat-already-answered", "This conversation has already been rated. Thank you!");
        var now = clock.GetUtcNow().UtcDateTime;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The conditional update is the guard: of two submissions racing, exactly one answers; the answer and its
            // interaction commit together.
            var answered = await db.CsatSurveys.Where(s => s.Id == survey.Id && s.AnsweredAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Rating, rating).SetProperty(x => x.Comment, comment).SetProperty(x => x.AnsweredAt, now), ct);
            if (answered != 1) throw new DomainException("csat-already-answered", "This conversation has already been rated. Thank you!");
            interactions.Append(db, survey.ProfileId, InteractionTypes.CsatSubmitted, "web", new CsatSubmittedProperties(survey.TicketNumber, rating, comment),
                sourceKind: "ticket", sourceId: survey.TicketNumber);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });
        (survey.Rating, survey.Comment, survey.AnsweredAt) = (rating, comment, now);
        db.Entry(survey).State = EntityState.Unchanged;
    }
}
