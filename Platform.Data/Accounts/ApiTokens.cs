using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Accounts;

/// <summary>A token as made: the secret, shown to its user this once, and what is kept of it.</summary>
public sealed record NewApiToken(string Secret, ApiToken Stored);

/// <summary>
/// Personal access tokens: made with 256 random bits, stored as their SHA-256 (a leaked table reveals
/// no token), checked by hash, revoked by their owner. A token acts as its user, with the user's role.
/// </summary>
public sealed class ApiTokens(EmotionLabDbContext db, TimeProvider time)
{
    public const string SecretPrefix = "elab_";
    private const int ShownPrefixLength = 12;

    public async Task<NewApiToken> CreateAsync(long userId, string name, CancellationToken cancellation = default)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("give the token a name, e.g. the script or machine that uses it", nameof(name));
        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken { UserId = userId, Name = name.Trim(), Hash = HashOf(secret), Prefix = secret[..ShownPrefixLength], CreatedAt = time.GetUtcNow() };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellation);
        return new NewApiToken(secret, token);
    }

    /// <summary>The user a token acts as, or null when it is unknown or revoked; a match records its use.</summary>
    public async Task<LabUser?> UserOfAsync(string secret, CancellationToken cancellation = default)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal)) return null;
        var hash = HashOf(secret);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == hash && t.RevokedAt == null, cancellation);
        if (token is null) return null;
        var now = time.GetUtcNow();
        // Written at most once a minute: a script's every call would otherwise be a write.
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(cancellation);
        }
        return await db.Users.SingleOrDefaultAsync(u => u.Id == token.UserId, cancellation);
    }

    public async Task<IReadOnlyList<ApiToken>> OfAsync(long userId, CancellationToken cancellation = default) =>
        await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync(cancellation);

    /// <summary>Revokes one of the user's own tokens; false when they have no such token.</summary>
    public async Task<bool> RevokeAsync(long userId, long tokenId, CancellationToken cancellation = default)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, cancellation);
        if (token is null) return false;
        token.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellation);
        return true;
    }

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
