using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Centric.Server.Platform.Data;

/// <summary>
/// The migrations of both providers were squashed into one <c>Initial</c> each on 5 December 2026, before any release. A
/// database made before then records the old migrations' ids; one that applied all of them already has the squashed
/// schema, so its history is rewritten to the new ids rather than running <c>Initial</c> over tables that exist. A
/// database that stopped part-way through the old migrations is refused with what to do.
/// </summary>
internal static class SquashedMigrations
{
    private static readonly string[] SqliteBefore =
    [
        "20261202212250_Initial",
        "20261203074141_HeadlessApi",
        "20261203080350_WebhookTurns",
        "20261203114244_Insights",
        "20261203180749_CsatSurveyAccessKey",
        "20261203185631_ProductSlugRedirectsAndKpiRollups",
        "20261203191706_ProductImages",
        "20261204173606_WeeklyKpiReport",
        "20261204174122_ArticleSlugRedirects",
        "20261204174531_DecilesAndCostToServe",
        "20261204203600_CroiWeights",
        "20261204205538_Personalisation",
        "20261204210044_Segments",
        "20261205002854_Engagement",
        "20261205032056_Promotions",
        "20261205032607_Alerts",
        "20261205054118_Loyalty",
        "20261205055415_WebPush",
        "20261205095503_KpiRollupsForScale",
        "20261202212300_ArticleSearchIndex",
    ];

    private static readonly string[] PostgresBefore =
    [
        "20261202212255_Initial",
        "20261203072844_HeadlessApi",
        "20261203080417_WebhookTurns",
        "20261203114524_Insights",
        "20261203180759_CsatSurveyAccessKey",
        "20261203185639_ProductSlugRedirectsAndKpiRollups",
        "20261203191711_ProductImages",
        "20261204173612_WeeklyKpiReport",
        "20261204174126_ArticleSlugRedirects",
        "20261204174534_DecilesAndCostToServe",
        "20261204203606_CroiWeights",
        "20261204205544_Personalisation",
        "20261204210047_Segments",
        "20261205002857_Engagement",
        "20261205032059_Promotions",
        "20261205032610_Alerts",
        "20261205054121_Loyalty",
        "20261205055421_WebPush",
        "20261205095506_KpiRollupsForScale",
        "20261202212300_ArticleSearchIndex",
    ];

    /// <summary>The ids a database made before the squash records, oldest first.</summary>
    internal static string[] Before(bool postgres) => postgres ? PostgresBefore : SqliteBefore;

    /// <summary>What a database that applied every old migration has applied, in the new ids.</summary>
    internal static string[] After(bool postgres) =>
        [postgres ? "20261205115540_Initial" : "20261205115537_Initial", "20261205115600_ArticleSearchIndex"];

    /// <summary>Rewrites a pre-squash database's migration history; does nothing to any other database.</summary>
    public static async Task RewriteHistoryAsync(CentricDbContext db, CancellationToken ct)
    {
        var before = Before(db.IsPostgres);
        var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToHashSet(StringComparer.Ordinal);
        if (!applied.Overlaps(before)) return;
        if (!before.All(applied.Contains))
            throw new InvalidOperationException(
                "This database was made by a development build older than the schema squash of 5 December 2026 and is part-way " +
                $"through the old migrations (last applied: {applied.Where(before.Contains).Max(StringComparer.Ordinal)}). " +
                "Start it once with commit 4103f04, which brings it to the squashed schema, then with this version.");

        // Two nodes starting together may both get here; the second finds the work done.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var id in before)
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {id}", ct);
        var version = ProductInfo.GetVersion();
        foreach (var id in After(db.IsPostgres))
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") SELECT {id}, {version} WHERE NOT EXISTS (SELECT 1 FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {id})", ct);
        await transaction.CommitAsync(ct);
    }
}
