using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace Centric.Server.Platform.Data;

/// <summary>
/// Reads one top-level member of a JSON object stored as text (profile traits, interaction properties) inside a query, on
/// both databases: SQLite's <c>json_extract</c>, PostgreSQL's <c>json_extract_path_text</c>. A string comes back unquoted,
/// an array or object as its JSON text, a missing member as null. Only for use in LINQ queries.
/// </summary>
public static class JsonText
{
    public static string? Member(string json, string name) => throw new InvalidOperationException("JsonText.Member is translated to SQL only.");

    private static readonly System.Reflection.MethodInfo MemberMethod = typeof(JsonText).GetMethod(nameof(Member))!;

    internal static void MapForSqlite(ModelBuilder builder) =>
        builder.HasDbFunction(MemberMethod).HasTranslation(args =>
        {
            var text = args[1].TypeMapping;
            // json_extract(json, '$."name"'): the name quoted, so any member name is a path of one step.
            var path = new SqlBinaryExpression(ExpressionType.Add,
                new SqlBinaryExpression(ExpressionType.Add, new SqlConstantExpression("$.\"", text), args[1], typeof(string), text),
                new SqlConstantExpression("\"", text), typeof(string), text);
            return new SqlFunctionExpression("json_extract", [args[0], path], nullable: true, argumentsPropagateNullability: [false, false],
                typeof(string), text);
        });

    internal static void MapForPostgres(ModelBuilder builder) =>
        builder.HasDbFunction(MemberMethod).HasTranslation(args =>
        {
            var text = args[1].TypeMapping;
            var json = new SqlUnaryExpression(ExpressionType.Convert, args[0], typeof(string), new JsonStoreType());
            return new SqlFunctionExpression("json_extract_path_text", [json, args[1]], nullable: true, argumentsPropagateNullability: [false, false],
                typeof(string), text);
        });

    /// <summary>The <c>json</c> store type, for the cast of a text column PostgreSQL's JSON functions need.</summary>
    private sealed class JsonStoreType : StringTypeMapping
    {
        public JsonStoreType() : base("json", System.Data.DbType.String) { }
        private JsonStoreType(RelationalTypeMappingParameters parameters) : base(parameters) { }
        protected override RelationalTypeMapping Clone(RelationalTypeMappingParameters parameters) => new JsonStoreType(parameters);
    }
}
