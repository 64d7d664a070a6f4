using System.CommandLine;
using System.Text;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Identity;

/// <summary>
/// `centric staff invite --email E [--name N] [--roles Admin,Agent]`: how a database without the demo gets its first admin
/// (the console's Staff page needs an admin already). The person is invited as from that page, and the link to choose a
/// password is printed for the operator to hand over, since the mail outbox is itself behind an admin sign-in.
/// </summary>
internal static class StaffCommand
{
    public static Command Define(Func<IServiceProvider> services)
    {
        var staff = new Command("staff", "Invite staff from the command line (the first admin of a new installation).");

        var email = new Option<string>("--email") { Description = "The person's email address.", Required = true };
        var name = new Option<string?>("--name") { Description = "The name shown in the console." };
        var roles = new Option<string>("--roles")
        {
            Description = $"Comma-separated roles: {Roles.StaffCsv}.", DefaultValueFactory = _ => Roles.Admin,
        };
        var invite = new Command("invite", "Create the account and print a link to choose a password (it works once, for a day).") { email, name, roles };
        invite.SetAction(async (result, ct) =>
        {
            var output = result.InvocationConfiguration.Output;
            var provider = services();
            // The same preparation the server does at start, so the command works on a database nothing has run on yet.
            if (provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
                await DatabaseSetup.MigrateAsync(provider, ct);
            await using var scope = provider.CreateAsyncScope();
            await Roles.EnsureAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>());

            var chosen = result.GetRequiredValue(roles).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            CentricUser user;
            try
            {
                user = await scope.ServiceProvider.GetRequiredService<StaffDirectory>().InviteAsync(result.GetRequiredValue(email), result.GetValue(name), chosen, ct);
            }
            catch (Exception e) when (e is DomainException or RequestValidationException)
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"Not invited: {e.Message}");
                return 2;
            }

            var users = scope.ServiceProvider.GetRequiredService<UserManager<CentricUser>>();
            var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
            var baseUrl = scope.ServiceProvider.GetRequiredService<IOptions<CentricOptions>>().Value.PublicBaseUrl.TrimEnd('/');
            await output.WriteLineAsync($"Invited {user.Email} as {string.Join(", ", chosen)}.");
            await output.WriteLineAsync("Choose a password at this link (it works once, for a day):");
            await output.WriteLineAsync($"  {baseUrl}/Account/ResetPassword?code={code}");
            await output.WriteLineAsync("Then sign in and set up two-factor authentication: outside Development every console page but the overview needs it.");
            return 0;
        });

        staff.Subcommands.Add(invite);
        return staff;
    }
}
