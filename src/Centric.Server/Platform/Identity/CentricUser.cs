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
}

public static class Policies
{
    /// <summary>Any member of staff may open the console.</summary>
    public const string Staff = "staff";
    public const string Admin = "admin";
    /// <summary>Admins and marketers manage the catalog.</summary>
    public const string Catalog = "catalog";
    /// <summary>Staff who may open a customer's personal data: MFA enrolled (unless the demo waiver applies).</summary>
    public const string CustomerData = "customer-data";
}
