using System.Security.Claims;
using Centric.Server.Platform.Data;

namespace Centric.Server.Platform.Audit;

/// <summary>Adds audit entries to the caller's unit of work, so the audit commits with the change it describes.</summary>
public sealed class AuditLog(CentricDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    public AuditEntry Record(string action, Guid? profileId = null, string? details = null)
    {
        var context = http.HttpContext;
        var (kind, id, name) = Actor(context?.User);
        var entry = new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            ActorKind = kind,
            ActorId = id,
            ActorName = name,
            Action = action,
            ProfileId = profileId,
            Details = details,
            IpAddress = context?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = context?.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 300)] : null,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    private static (string Kind, string? Id, string? Name) Actor(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return ("system", null, null);
        if (user.FindFirst(ApiKeys.ApiKeyAuthentication.KeyIdClaim) is { } key)
            return ("apikey", key.Value, user.Identity.Name);
        var kind = user.IsInRole(Identity.Roles.Customer) && !Identity.Roles.Staff.Any(user.IsInRole) ? "customer" : "staff";
        return (kind, user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity.Name);
    }
}
