using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Identity;

public sealed class CentricOptions
{
    public const string Section = "Centric";

    /// <summary>Base URL used in links sent by email.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>
    /// Staff must sign in with MFA before opening customer data. Only the Development environment may turn
    /// this off (the embedded demo), and the console then shows a warning.
    /// </summary>
    public bool RequireStaffMfa { get; set; } = true;
}

/// <summary>Staff who signed in with a second factor (amr=mfa), unless the demo waiver applies.</summary>
public sealed class StaffMfaRequirement : IAuthorizationRequirement;

internal sealed class StaffMfaHandler(IOptions<CentricOptions> options, IHostEnvironment environment) : AuthorizationHandler<StaffMfaRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, StaffMfaRequirement requirement)
    {
        var user = context.User;
        if (!Roles.Staff.Any(user.IsInRole)) return Task.CompletedTask;
        if (SignedInWithMfa(user) || IsWaived(options.Value, environment)) context.Succeed(requirement);
        return Task.CompletedTask;
    }

    public static bool SignedInWithMfa(System.Security.Claims.ClaimsPrincipal user) => user.HasClaim("amr", "mfa");

    /// <summary>The waiver exists only in Development; everywhere else MFA is enforced whatever the setting says.</summary>
    public static bool IsWaived(CentricOptions options, IHostEnvironment environment) =>
        !options.RequireStaffMfa && environment.IsDevelopment();
}
