using System.Text;
using System.Text.Encodings.Web;
using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Identity;

public sealed record StaffMember(string Id, string Email, string? DisplayName, IReadOnlyList<string> Roles, bool MfaEnabled, bool LockedOut);

/// <summary>Admins invite staff and assign roles.</summary>
public sealed class StaffDirectory(UserManager<CentricUser> users, CentricDbContext db, MailOutbox mail, AuditLog audit,
    IOptions<CentricOptions> options, TimeProvider clock)
{
    public async Task<List<StaffMember>> ListAsync(CancellationToken ct)
    {
        var staff = await db.Users.AsNoTracking().Where(u => u.IsStaff).OrderBy(u => u.Email).ToListAsync(ct);
        var result = new List<StaffMember>(staff.Count);
        foreach (var u in staff)
            result.Add(new StaffMember(u.Id, u.Email!, u.DisplayName, [.. await users.GetRolesAsync(u)], u.TwoFactorEnabled,
                u.LockoutEnd is { } end && end > clock.GetUtcNow()));
        return result;
    }

    /// <summary>Creates the account and mails a link to choose a password (which also proves the address).</summary>
    public async Task<CentricUser> InviteAsync(string email, string? name, IReadOnlyCollection<string> roles, CancellationToken ct)
    {
        email = email.Trim();
        if (ContactAddress.NormaliseEmail(email) is null) throw RequestValidationException.For("email", "Not a valid email address.");
        if (roles.Count == 0 || roles.Any(r => !Roles.Staff.Contains(r))) throw RequestValidationException.For("roles", "Choose at least one staff role.");
        if (await users.FindByEmailAsync(email) is not null) throw new DomainException("staff-exists", "Someone with this email already has an account.");
        var user = new CentricUser
        {
            UserName = email, Email = email, EmailConfirmed = true, IsStaff = true, DisplayName = name?.Trim(), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded) throw new DomainException("staff-invalid", string.Join(" ", created.Errors.Select(e => e.Description)), 422);
        await users.AddToRolesAsync(user, roles);
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/Account/ResetPassword?code={code}";
        await mail.SendAsync(email, "You are invited to the Centric console",
            $"<p>You have been invited to Centric as {HtmlEncoder.Default.Encode(string.Join(", ", roles))}.</p>" +
            $"<p><a href=\"{HtmlEncoder.Default.Encode(link)}\">Choose your password</a>, then sign in and set up two-factor authentication.</p>", ct);
        audit.Record("staff.invited", details: $"{email} as {string.Join(",", roles)}");
        await db.SaveChangesAsync(ct);
        return user;
    }

    public async Task SetRolesAsync(string userId, IReadOnlyCollection<string> roles, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new DomainException("staff-not-found", "No such member of staff.", 404);
        if (!user.IsStaff) throw new DomainException("staff-not-found", "No such member of staff.", 404);
        if (roles.Any(r => !Roles.Staff.Contains(r))) throw RequestValidationException.For("roles", "Unknown role.");
        var current = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, current.Except(roles));
        await users.AddToRolesAsync(user, roles.Except(current));
        // Role changes take effect on the member's other sessions at the next security-stamp check.
        await users.UpdateSecurityStampAsync(user);
        audit.Record("staff.roles_changed", details: $"{user.Email}: {string.Join(",", roles)}");
        await db.SaveChangesAsync(ct);
    }
}
