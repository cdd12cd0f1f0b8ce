using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Accounts;

/// <summary>A user as made: the password (generated when none was given, shown this once) or the problems that stopped it.</summary>
public sealed record NewLabUser(LabUser? User, string? Password, IReadOnlyList<string> Problems)
{
    public bool Succeeded => User is not null;
}

/// <summary>
/// Makes the lab's accounts: the first admin (only while no account exists, checked under a lock so
/// two first starts cannot both make one), and further users with a role.
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

    /// <summary>20 characters from a 56-letter alphabet without look-alikes: about 116 bits.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 20);
    }
}
