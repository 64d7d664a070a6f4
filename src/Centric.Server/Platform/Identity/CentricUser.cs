using Microsoft.AspNetCore.Identity;

namespace Centric.Server.Platform.Identity;

/// <summary>A person who signs in: a customer (linked to a profile) or a member of staff.</summary>
public sealed class CentricUser : IdentityUser
{
    /// <summary>The customer profile this account belongs to; null for staff.</summary>
    public Guid? ProfileId { get; set; }

    [PersonalData]
    public string? DisplayName { get; set; }

    public bool IsStaff { get; set; }

    public DateTime CreatedAt { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Agent = "Agent";
    public const string Marketer = "Marketer";
    public const string Analyst = "Analyst";
    public const string Customer = "Customer";

    public static readonly string[] Staff = [Admin, Agent, Marketer, Analyst];
    public const string StaffCsv = "Admin,Agent,Marketer,Analyst";

    /// <summary>Creates the roles a database does not have yet (at start, and before the first staff invitation).</summary>
    public static async Task EnsureAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in Staff.Append(Customer))
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));
    }
}

public static class Policies
{
    // Every staff policy but ConsoleEntrance requires a sign-in with MFA (unless the Development waiver applies).

    /// <summary>Any member of staff, signed in with MFA.</summary>
    public const string Staff = "staff";
    public const string Admin = "admin";
    /// <summary>Admins and marketers manage the catalog.</summary>
    public const string Catalog = "catalog";
    /// <summary>Admins and marketers run the shop's recommendations: business rules, the A/B switch and its results.</summary>
    public const string Personalisation = "personalisation";
    /// <summary>Staff who may open a customer's personal data.</summary>
    public const string CustomerData = "customer-data";
    /// <summary>Admins, agents and analysts read the support measures.</summary>
    public const string SupportMeasures = "support-measures";
    /// <summary>Admins and analysts train, promote and roll back the Insights models.</summary>
    public const string Models = "models";
    /// <summary>Admins, analysts and marketers read the KPIs.</summary>
    public const string Insights = "insights";
    /// <summary>Admins and marketers build segments and read who is in them.</summary>
    public const string Segments = "segments";
    /// <summary>Admins and marketers write message templates and read what the SMS sandbox sent.</summary>
    public const string Messages = "messages";
    /// <summary>Admins and marketers write surveys, send them and read their results.</summary>
    public const string Surveys = "surveys";
    /// <summary>Admins and marketers run discount codes and automatic promotions.</summary>
    public const string Promotions = "promotions";
    /// <summary>Admins and marketers run the loyalty programme: its rules, tiers and referrals.</summary>
    public const string Loyalty = "loyalty";
    /// <summary>Admins, marketers and support agents read a customer's points and add goodwill points or correct them.</summary>
    public const string LoyaltyMembers = "loyalty-members";
    /// <summary>The console's overview only: any member of staff, even without MFA, so they learn how to enrol. Counts, never personal data.</summary>
    public const string ConsoleEntrance = "console-entrance";
    /// <summary>A customer over the API, with the bearer token from <c>POST /api/v1/auth/login</c> (never staff, never an API key).</summary>
    public const string Customer = "customer";
}
