using Hangfire;
using Hangfire.Dashboard;

namespace EmotionLab.Web.Startup;

/// <summary>
/// Hangfire's dashboard at /hangfire: the queue as Hangfire sees it (jobs per state and queue,
/// servers, each run's job with its history). Read-only, and open to whoever can open the
/// platform's pages, until accounts put it behind the admin role.
/// </summary>
public static class QueueDashboard
{
    public const string Path = "/hangfire";

    public static WebApplication UseQueueDashboard(this WebApplication app)
    {
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            DashboardTitle = "EmotionLab queue",
            AppPath = "/workers",
            IsReadOnlyFunc = _ => true,
            // Hangfire's default lets only local requests in; the platform's pages are no more private.
            Authorization = [new EveryoneWhoReachesThePlatform()],
        });
        return app;
    }

    private sealed class EveryoneWhoReachesThePlatform : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => true;
    }
}
