namespace EmotionLab.Data.Accounts;

/// <summary>
/// A personal access token for scripts and the CLI. Only its SHA-256 is stored: the token itself is
/// shown once, when it is made. A revoked token stays listed, refused.
/// </summary>
public sealed class ApiToken
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string Name { get; set; }
    /// <summary>Lower-case hex SHA-256 of the whole token.</summary>
    public required string Hash { get; set; }
    /// <summary>The token's first characters, so a user can tell their tokens apart without the secret.</summary>
    public required string Prefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
