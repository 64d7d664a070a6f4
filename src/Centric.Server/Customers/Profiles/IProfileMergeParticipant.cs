using Centric.Server.Platform.Data;

namespace Centric.Server.Customers.Profiles;

/// <summary>
/// A module that keeps rows per customer profile (tickets, chats...). When two profiles merge, every participant moves its rows
/// from the merged profile to the survivor inside the merge's transaction, so the survivor's history is complete and the merged
/// profile holds nothing of its own.
/// </summary>
public interface IProfileMergeParticipant
{
    /// <summary>Re-points the module's rows (stored and not yet saved) from <paramref name="fromProfileId"/> to <paramref name="toProfileId"/>.</summary>
    Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct);
}
