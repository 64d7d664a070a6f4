namespace Centric.Server.Platform.Mail;

/// <summary>
/// Told, in the delivery's own unit of work, when the relay accepted a message or it was given up; a module that wrote the mail
/// (Engagement's messages take the mail's id) records what became of it.
/// </summary>
public interface IMailDeliveryListener
{
    Task SentAsync(Data.CentricDbContext db, Guid mailId, DateTime at, CancellationToken ct);

    Task FailedAsync(Data.CentricDbContext db, Guid mailId, DateTime at, string reason, CancellationToken ct);
}
