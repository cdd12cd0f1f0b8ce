using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Data.Accounts;

/// <summary>Identity's user and role stores on the platform's database, with the lab's password and lockout rules; the web app and `users add` both use it.</summary>
public static class LabIdentity
{
    /// <param name="accounts">The "Accounts" configuration section: LockoutFailures (default 5), LockoutMinutes (default 15).</param>
    public static IdentityBuilder AddLabIdentity(this IServiceCollection services, IConfiguration? accounts = null) =>
        services.AddIdentityCore<LabUser>(o =>
            {
                // Length over composition rules (NIST SP 800-63B).
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = accounts?.GetValue("LockoutFailures", 5) ?? 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(accounts?.GetValue("LockoutMinutes", 15) ?? 15);
            })
            .AddRoles<IdentityRole<long>>()
            .AddEntityFrameworkStores<EmotionLabDbContext>();
}
