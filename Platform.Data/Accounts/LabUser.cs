using Microsoft.AspNetCore.Identity;

namespace EmotionLab.Data.Accounts;

/// <summary>A lab member's account (ASP.NET Core Identity, in the platform's PostgreSQL); their role says what they may change.</summary>
public sealed class LabUser : IdentityUser<long>
{
    public DateTimeOffset CreatedAt { get; set; }
}
