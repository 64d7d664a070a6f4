using System.Security.Claims;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Journeys;

public sealed record StaffTaskRow(Guid Id, string Title, Guid? ProfileId, string Customer, string Role, DateTime CreatedAt);

/// <summary>The console's task list: open tasks for the roles the member of staff holds (admins see every role's).</summary>
internal sealed class StaffTasks(CentricDbContext db, ICustomerDirectory directory, TimeProvider clock)
{
    public async Task<IReadOnlyList<StaffTaskRow>> OpenAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var roles = Roles(user);
        var tasks = await db.StaffTasks.AsNoTracking().Where(t => t.DoneAt == null && roles.Contains(t.Role))
            .OrderBy(t => t.CreatedAt).Take(200).ToListAsync(ct);
        var names = await directory.NamesAsync(tasks.Where(t => t.ProfileId is not null).Select(t => t.ProfileId!.Value).Distinct(), ct);
        return [.. tasks.Select(t => new StaffTaskRow(t.Id, t.Title, t.ProfileId, t.ProfileId is { } p ? names.GetValueOrDefault(p, "a customer") : "", t.Role, t.CreatedAt))];
    }

    /// <summary>Marks a task of one of the user's roles done; false when there is no such open task for them.</summary>
    public async Task<bool> DoneAsync(Guid id, ClaimsPrincipal user, CancellationToken ct)
    {
        var roles = Roles(user);
        var task = await db.StaffTasks.FirstOrDefaultAsync(t => t.Id == id && t.DoneAt == null && roles.Contains(t.Role), ct);
        if (task is null) return false;
        (task.DoneAt, task.DoneBy) = (clock.GetUtcNow().UtcDateTime, user.Identity?.Name);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static List<string> Roles(ClaimsPrincipal user) =>
        user.IsInRole("Admin") ? [.. JourneyDefinitions.TaskRoles] : [.. JourneyDefinitions.TaskRoles.Where(r => user.IsInRole(char.ToUpperInvariant(r[0]) + r[1..]))];
}
