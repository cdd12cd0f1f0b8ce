using Hangfire;
using EmotionLab.Web.Accounts;

namespace EmotionLab.Web.Startup;

/// <summary>
/// Hangfire's dashboard at /hangfire: the queue as Hangfire sees it (jobs per state and queue,
/// servers, each run's job with its history). Read-only, and for admins only: an endpoint behind
/// the admin policy, so Hangfire's own filters have nothing left to decide.
/// </summary>
public static class QueueDashboard
{
    public const string Path = "/hangfire";

    public static WebApplication MapQueueDashboard(this WebApplication app)
    {
        app.MapHangfireDashboardWithAuthorizationPolicy(AccountPolicies.Admin, Path, new DashboardOptions
        {
            DashboardTitle = "EmotionLab queue",
            AppPath = "/workers",
            IsReadOnlyFunc = _ => true,
            Authorization = [],
        });
        return app;
    }
}
