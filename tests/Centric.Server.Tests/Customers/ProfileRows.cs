using System.Linq.Expressions;
using System.Reflection;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Centric.Server.Tests.Customers;

/// <summary>
/// Walks the EF model for every table that holds rows of a customer profile (a <c>ProfileId</c> column), makes a plausible row
/// of each for a profile, and counts them per profile. A module that adds such a table is covered without anyone remembering to.
/// </summary>
internal static class ProfileRows
{
    /// <summary>
    /// Tables whose rows keep the profile id they were written with on a merge, and why. Nothing else may stay behind.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> StayOnMergedProfile = new Dictionary<string, string>
    {
        ["AuditEntry"] = "the audit log records what was done to which record at the time; the merge's own entry links the two",
    };

    private static int _counter;

    public static IReadOnlyList<IEntityType> OwnedTypes(CentricDbContext db) =>
        [.. db.Model.GetEntityTypes().Where(t => t.FindProperty("ProfileId") is not null && !t.IsOwned()).OrderBy(t => t.ClrType.Name)];

    public static bool Moves(IEntityType type) => !StayOnMergedProfile.ContainsKey(type.ClrType.Name);

    /// <summary>
    /// Tables that hold at most one row per person (the profile id alone is the key or a unique index, e.g. the loyalty
    /// membership, a customer's first order): their writers create the row only where none exists, so a second one for the
    /// same person is never written.
    /// </summary>
    public static bool OnePerPerson(IEntityType type) =>
        type.FindPrimaryKey()?.Properties is [{ Name: "ProfileId" }] || type.GetIndexes().Any(i => i.IsUnique && i.Properties is [{ Name: "ProfileId" }]);

    /// <summary>Adds one row of every profile-owned type for the profile (with whatever parent rows it needs) to the unit of work.</summary>
    public static void AddOneOfEach(CentricDbContext db, Guid profileId, Func<IEntityType, bool>? skip = null)
    {
        Guid? interaction = null;
        foreach (var type in OwnedTypes(db))
        {
            if (skip?.Invoke(type) == true) continue;
            // An outbox row points at a real interaction (types come in name order: Interaction before OutboxMessage).
            var values = type.FindProperty("InteractionId") is not null && interaction is { } id
                ? new Dictionary<string, object?> { ["InteractionId"] = id } : null;
            var row = Add(db, type, profileId, depth: 0, values);
            if (row is Centric.Server.Platform.Interactions.Interaction i) interaction = i.Id;
        }
    }

    /// <summary>Adds a row of the type, filling required columns with unique values and creating the rows its foreign keys need.</summary>
    public static object Add(CentricDbContext db, IEntityType type, Guid profileId, int depth, IReadOnlyDictionary<string, object?>? values = null)
    {
        if (depth > 4) throw new InvalidOperationException($"Foreign keys nest too deep at {type.ClrType.Name}.");
        var row = Activator.CreateInstance(type.ClrType, nonPublic: true)!;
        var shadow = new Dictionary<IProperty, object?>();
        foreach (var property in type.GetProperties())
        {
            object? value;
            if (values is not null && values.TryGetValue(property.Name, out var given)) value = given;
            else if (property.Name == "ProfileId") value = profileId;
            else if (property.IsForeignKey())
            {
                var fk = property.GetContainingForeignKeys().First();
                if (!fk.IsRequired && property.IsNullable) continue;
                var parent = Add(db, fk.PrincipalEntityType, profileId, depth + 1);
                value = fk.PrincipalKey.Properties[fk.Properties.ToList().IndexOf(property)].GetGetter().GetClrValue(parent);
            }
            else if (property.ValueGenerated != ValueGenerated.Never && property.IsKey() && property.ClrType != typeof(Guid)) continue;
            else if (property.ValueGenerated != ValueGenerated.Never && !property.IsKey()) continue;
            else if (property.PropertyInfo is { } info && !IsDefault(info.GetValue(row))) continue;
            else if (property.IsNullable) continue;
            else value = Sample(property);

            if (property.PropertyInfo is { CanWrite: true } writable) writable.SetValue(row, value);
            else if (property.FieldInfo is { } field) field.SetValue(row, value);
            else shadow[property] = value;
        }
        var entry = db.Add(row);
        foreach (var (property, value) in shadow) entry.Property(property.Name).CurrentValue = value;
        return row;
    }

    private static bool IsDefault(object? value) =>
        value is null or "" || (value.GetType().IsValueType && value.Equals(Activator.CreateInstance(value.GetType())));

    private static object? Sample(IProperty property)
    {
        var n = Interlocked.Increment(ref _counter);
        var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        if (type == typeof(string) && property.Name is "Properties" or "Payload" or "Traits" or "Attachments") return "{}";
        if (type == typeof(string))
        {
            var text = $"v{n}{Guid.NewGuid():N}";
            return property.GetMaxLength() is { } max && max < text.Length ? text[..max] : text;
        }
        if (type == typeof(Guid)) return Guid.CreateVersion7();
        if (type == typeof(DateTime)) return new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(n);
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(n);
        if (type == typeof(byte[])) return new byte[] { 1 };
        // The last state is usually a finished one (delivered, closed), which keeps background work away from these rows.
        if (type.IsEnum) return Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1);
        if (type == typeof(bool)) return false;
        if (type == typeof(int)) return 1_000_000 + n;
        if (type == typeof(long)) return 1_000_000L + n;
        if (type == typeof(short)) return (short)(n % 30_000);
        if (type == typeof(decimal)) return 1m + n;
        if (type == typeof(double)) return 1d + n;
        if (type == typeof(TimeSpan)) return TimeSpan.FromMinutes(n);
        return Activator.CreateInstance(type);
    }

    /// <summary>How many rows of the type name the profile.</summary>
    public static Task<int> CountAsync(CentricDbContext db, IEntityType type, Guid profileId) =>
        (Task<int>)typeof(ProfileRows).GetMethod(nameof(CountOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type.ClrType).Invoke(null, [db, type.FindProperty("ProfileId")!, profileId])!;

    private static Task<int> CountOfAsync<T>(CentricDbContext db, IProperty property, Guid profileId) where T : class
    {
        var row = Expression.Parameter(typeof(T), "row");
        var column = Expression.Call(typeof(EF), nameof(EF.Property), [property.ClrType], row, Expression.Constant(property.Name));
        var match = Expression.Lambda<Func<T, bool>>(Expression.Equal(column, Expression.Constant(profileId, property.ClrType)), row);
        return db.Set<T>().IgnoreQueryFilters().CountAsync(match);
    }

    /// <summary>PostgreSQL: how many rows of the type name a profile that was merged into another.</summary>
    public static async Task<int> OnMergedProfilesAsync(CentricDbContext db, IEntityType type)
    {
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var column = type.FindProperty("ProfileId")!.GetColumnName(table);
        var profiles = db.Model.FindEntityType(typeof(Centric.Server.Customers.Profiles.CustomerProfile))!;
#pragma warning disable EF1002 // Table and column names come from the model, not from input.
        return await db.Database.SqlQueryRaw<int>(
            $"""SELECT COUNT(*)::int AS "Value" FROM "{type.GetTableName()}" t JOIN "{profiles.GetTableName()}" p ON p."Id" = t."{column}" WHERE p."MergedIntoId" IS NOT NULL""")
            .SingleAsync();
#pragma warning restore EF1002
    }
}
