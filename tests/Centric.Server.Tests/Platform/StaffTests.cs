using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Identity;
using Centric.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Platform;

public abstract class StaffTests(CentricAppFactory app)
{
    [SkippableFact]
    public async Task An_invited_member_of_staff_gets_roles_and_a_set_password_link_and_the_invite_is_audited()
    {
        app.SkipIfUnavailable();
        var email = Json.NewEmail();
        await using var scope = app.Services.CreateAsyncScope();
        var staff = scope.ServiceProvider.GetRequiredService<StaffDirectory>();
        await staff.InviteAsync(email, "Ines Agent", [Roles.Agent, Roles.Analyst], default);

        var users = scope.ServiceProvider.GetRequiredService<UserManager<CentricUser>>();
        var user = await users.FindByEmailAsync(email);
        Assert.NotNull(user);
        Assert.True(user.IsStaff);
        Assert.Equal([Roles.Agent, Roles.Analyst], (await users.GetRolesAsync(user)).Order());
        Assert.False(await users.HasPasswordAsync(user));

        var mail = await app.WithDbAsync(db => db.Mail.Where(m => m.To == email).SingleAsync());
        Assert.Contains("/Account/ResetPassword?code=", mail.HtmlBody, StringComparison.Ordinal);
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == "staff.invited" && a.Details!.Contains(email)).CountAsync());
        Assert.Equal(1, audit);

        await staff.SetRolesAsync(user.Id, [Roles.Marketer], default);
        user = await users.FindByEmailAsync(email);
        Assert.Equal([Roles.Marketer], await users.GetRolesAsync(user!));

        await Assert.ThrowsAsync<DomainException>(() => staff.InviteAsync(email, null, [Roles.Agent], default));
        await Assert.ThrowsAsync<RequestValidationException>(() => staff.InviteAsync(Json.NewEmail(), null, ["Owner"], default));
        await Assert.ThrowsAsync<RequestValidationException>(() => staff.InviteAsync("nobody", null, [Roles.Agent], default));
    }
}

public sealed class StaffOnSqlite(SqliteApp app) : StaffTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class StaffOnPostgres(PostgresApp app) : StaffTests(app), IClassFixture<PostgresApp>;
