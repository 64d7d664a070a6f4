using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Centric.Server.Customers.Profiles;

/// <summary>
/// The tables that hold rows of a profile (every mapped type with a <c>ProfileId</c> column), taken from the EF model so a
/// module's new table is covered without anyone remembering to. A merge asks once which of them hold the merged profile's rows.
/// </summary>
internal static class ProfileTables
{
    private sealed record Probe(string Sql, Type[][] TypesByRow);

    private static readonly ConcurrentDictionary<IModel, Probe> Probes = new();

    /// <summary>The entity types with at least one stored row of the profile, in one round trip.</summary>
    public static async Task<HashSet<Type>> HoldingAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var probe = Probes.GetOrAdd(db.Model, Build);
        var rows = await db.Database.SqlQuery<int>(FormattableStringFactory.Create(probe.Sql, profileId)).ToListAsync(ct);
        return [.. rows.SelectMany(r => probe.TypesByRow[r])];
    }

    /// <summary>Whether the entity type belongs to the holder's module: its namespace is the holder's or lies under it.</summary>
    public static bool Within(Type entity, IPersonalData holder)
    {
        var module = holder.GetType().Namespace ?? "";
        return entity.Namespace is { } ns && (ns == module || ns.StartsWith(module + ".", StringComparison.Ordinal));
    }

    private static Probe Build(IModel model)
    {
        // One row per table (types sharing a table answer together): SELECT n WHERE EXISTS (...) on both databases.
        var tables = model.GetEntityTypes()
            .Where(t => !t.IsOwned() && t.FindProperty("ProfileId") is not null && t.GetTableName() is not null)
            .GroupBy(t => (Table: t.GetTableName()!, Schema: t.GetSchema(),
                Column: t.FindProperty("ProfileId")!.GetColumnName(StoreObjectIdentifier.Table(t.GetTableName()!, t.GetSchema()))!))
            .OrderBy(g => g.Key.Table, StringComparer.Ordinal)
            .ToList();
        var parts = tables.Select((g, i) =>
        {
            var table = g.Key.Schema is null ? $"\"{g.Key.Table}\"" : $"\"{g.Key.Schema}\".\"{g.Key.Table}\"";
            return $"SELECT {i} AS \"Value\" WHERE EXISTS (SELECT 1 FROM {table} WHERE \"{g.Key.Column}\" = {{0}})";
        });
        return new(string.Join("\nUNION ALL ", parts), [.. tables.Select(g => g.Select(t => t.ClrType).ToArray())]);
    }
}
