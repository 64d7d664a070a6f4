using System.Security.Cryptography;
using System.Text;

namespace Centric.Server.Platform.ApiKeys;

/// <summary>An integrator's key. Only a SHA-256 of the secret is stored: the secret is shown once.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    /// <summary>The first characters of the secret, so people can tell keys apart.</summary>
    public required string Prefix { get; set; }
    public required string SecretHash { get; set; }
    /// <summary>Space-separated scopes, e.g. "events:write customers:read".</summary>
    public required string Scopes { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Secrets are 256-bit random strings, so a fast hash is enough (no password stretching needed).</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static string NewSecret() => "ck_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}

public static class ApiScopes
{
    public const string EventsWrite = "events:write";
    public const string CustomersRead = "customers:read";
    public const string CustomersWrite = "customers:write";
    public const string Admin = "admin";
    /// <summary>Scores and KPIs: the <c>insights</c> object on a customer, the insights endpoints.</summary>
    public const string InsightsRead = "insights:read";
    /// <summary>Segments: list, read, members, preview a rule's count.</summary>
    public const string SegmentsRead = "segments:read";
    /// <summary>Segments: create them and upload static lists.</summary>
    public const string SegmentsWrite = "segments:write";
    /// <summary>Surveys: list, read, results.</summary>
    public const string SurveysRead = "surveys:read";
    /// <summary>Surveys: create them.</summary>
    public const string SurveysWrite = "surveys:write";

    /// <summary>Journeys: list, read, report.</summary>
    public const string JourneysRead = "journeys:read";
    /// <summary>Journeys: create, change the draft, publish, pause.</summary>
    public const string JourneysWrite = "journeys:write";

    /// <summary>Campaigns: list, read progress and results.</summary>
    public const string CampaignsRead = "campaigns:read";
    /// <summary>Campaigns: create, schedule, cancel.</summary>
    public const string CampaignsWrite = "campaigns:write";

    /// <summary>Message templates: list and read them.</summary>
    public const string MessagesRead = "messages:read";
    /// <summary>Message templates: create and change them.</summary>
    public const string MessagesWrite = "messages:write";

    /// <summary>Promotions: list and read them, with their redemptions so far.</summary>
    public const string PromotionsRead = "promotions:read";
    /// <summary>Promotions: create, change and pause discount codes and automatic promotions.</summary>
    public const string PromotionsWrite = "promotions:write";

    /// <summary>The loyalty programme: read its rules and tiers.</summary>
    public const string LoyaltyRead = "loyalty:read";
    /// <summary>The loyalty programme: change its rules and tiers.</summary>
    public const string LoyaltyWrite = "loyalty:write";

    /// <summary>The catalogue: change a variant's price and stock.</summary>
    public const string CatalogWrite = "catalog:write";

    public static readonly string[] All = [EventsWrite, CustomersRead, CustomersWrite, CatalogWrite, InsightsRead, SegmentsRead, SegmentsWrite, JourneysRead, JourneysWrite,
        CampaignsRead, CampaignsWrite, MessagesRead, MessagesWrite, SurveysRead, SurveysWrite, PromotionsRead, PromotionsWrite,
        LoyaltyRead, LoyaltyWrite, Admin];
}
