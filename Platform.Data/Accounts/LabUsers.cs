using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Accounts;

/// <summary>A user as made: the password (generated when none was given, shown this once) or the problems that stopped it.</summary>
public sealed record NewLabUser(LabUser? User, string? Password, IReadOnlyList<string> Problems)
{
    public bool Succeeded => User is not null;
}

/// <summary>One account as the users page lists it: its role, whether it is locked and until when, its live tokens.</summary>
public sealed record LabUserSummary(long Id, string UserName, string Role, DateTimeOffset CreatedAt, DateTimeOffset? LockedUntil, int Tokens)
{
    public bool IsLocked(DateTimeOffset now) => LockedUntil > now;
}

/// <summary>
/// Makes and keeps the lab's accounts: the first admin (only while no account exists, checked under
/// a lock so two first starts cannot both make one), further users with a role, and what an admin
/// changes later (role, a new password, a lock). Each later change renews the account's security
/// stamp, so its sessions end at their next check.
/// </summary>
public sealed class LabUsers(EmotionLabDbContext db, UserManager<LabUser> users, TimeProvider time)
{
    // pg_advisory_xact_lock key: "first admin".
    private const long FirstAdminLock = 0x656C6162_61646D6E;

    public Task<bool> AnyAsync(CancellationToken cancellation = default) => db.Users.AnyAsync(cancellation);

    /// <summary>The first account, an admin; refused once any account exists.</summary>
    public async Task<NewLabUser> CreateFirstAdminAsync(string userName, string? password, CancellationToken cancellation = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({FirstAdminLock})", cancellation);
        if (await AnyAsync(cancellation)) return new NewLabUser(null, null, ["the platform has its first admin already: sign in, or ask an admin for an account"]);
        var made = await CreateAsync(userName, LabRoles.Admin, password, cancellation);
        if (made.Succeeded) await transaction.CommitAsync(cancellation);
        return made;
    }

    public async Task<NewLabUser> CreateAsync(string userName, string role, string? password, CancellationToken cancellation = default)
    {
        if (!LabRoles.All.Contains(role)) return new NewLabUser(null, null, [$"there is no role '{role}': use {string.Join(", ", LabRoles.All)}"]);
        password ??= GeneratePassword();
        var user = new LabUser { UserName = userName.Trim(), CreatedAt = time.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return new NewLabUser(null, null, created.Errors.Select(e => e.Description).ToList());
        var roled = await users.AddToRoleAsync(user, role);
        if (!roled.Succeeded) return new NewLabUser(null, null, roled.Errors.Select(e => e.Description).ToList());
        return new NewLabUser(user, password, []);
    }

    /// <summary>Every account, by name.</summary>
    public async Task<IReadOnlyList<LabUserSummary>> ListAsync(CancellationToken cancellation = default) =>
        await (from u in db.Users.AsNoTracking()
               let role = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault()
               orderby u.UserName
               select new LabUserSummary(u.Id, u.UserName!, role ?? "", u.CreatedAt, u.LockoutEnd,
                   db.ApiTokens.Count(t => t.UserId == u.Id && t.RevokedAt == null)))
            .ToListAsync(cancellation);

    /// <summary>Gives the account this one role in place of its others; null when done, else why not.</summary>
    public async Task<string?> SetRoleAsync(long userId, string role, CancellationToken cancellation = default)
    {
        if (!LabRoles.All.Contains(role)) return $"there is no role '{role}': use {string.Join(", ", LabRoles.All)}";
        if (await users.FindByIdAsync(userId.ToString()) is not { } user) return $"there is no user {userId}";
        var current = await users.GetRolesAsync(user);
        if (current.SequenceEqual([role])) return null;
        var removed = await users.RemoveFromRolesAsync(user, current);
        var added = removed.Succeeded ? await users.AddToRoleAsync(user, role) : removed;
        if (!added.Succeeded) return string.Join(" ", added.Errors.Select(e => e.Description));
        await users.UpdateSecurityStampAsync(user);
        return null;
    }

    /// <summary>A new generated password for the account (its sessions end): the password, or null with why not.</summary>
    public async Task<(string? Password, string? Problem)> ResetPasswordAsync(long userId, CancellationToken cancellation = default)
    {
        if (await users.FindByIdAsync(userId.ToString()) is not { } user) return (null, $"there is no user {userId}");
        var password = GeneratePassword();
        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
        return reset.Succeeded ? (password, null) : (null, string.Join(" ", reset.Errors.Select(e => e.Description)));
    }

    /// <summary>Locks the account until unlocked (it cannot sign in, its sessions end; its tokens are refused while locked), or unlocks it.</summary>
    public async Task<string?> SetLockedAsync(long userId, bool locked, CancellationToken cancellation = default)
    {
        if (await users.FindByIdAsync(userId.ToString()) is not { } user) return $"there is no user {userId}";
        var changed = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (!changed.Succeeded) return string.Join(" ", changed.Errors.Select(e => e.Description));
        if (!locked) await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user);
        return null;
    }

    /// <summary>20 characters from a 56-letter alphabet without look-alikes: about 116 bits.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }
}
