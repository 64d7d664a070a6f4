using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Platform.ArchitectureSamples;

/// <summary>Breaks the module rules on purpose, the way a page in another module might: the architecture tests must see it.</summary>
public sealed class ReadsProfilesDirectly(CentricDbContext db)
{
    public Task<int> CountKnownAsync() => db.Profiles.CountAsync(p => p.MergedIntoId == null && p.Kind == ProfileKind.Known);
}

/// <summary>The same question asked the right way, through Customers' public surface: the tests must not flag it.</summary>
public sealed class AsksTheCustomerDirectory(ICustomerDirectory customers)
{
    public Task<int> CountKnownAsync() => customers.CountKnownAsync(CancellationToken.None);
}
