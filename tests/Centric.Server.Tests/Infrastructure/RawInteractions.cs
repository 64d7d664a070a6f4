using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Data;

namespace Centric.Server.Tests.Infrastructure;

/// <summary>Interactions of any type and raw properties, as an integrator's event or an old row would be stored.</summary>
internal static class RawInteractions
{
    public static Interaction Add(CentricDbContext db, Guid profileId, string type, string propertiesJson)
    {
        var now = DateTime.UtcNow;
        var interaction = new Interaction
        {
            ProfileId = profileId, EventId = "test:" + Guid.NewGuid().ToString("N"), Type = type, Channel = "api",
            OccurredAt = now, ReceivedAt = now, Properties = propertiesJson,
        };
        InteractionLog.Add(db, interaction);
        return interaction;
    }
}
