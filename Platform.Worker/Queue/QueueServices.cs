using EmotionLab.Data;
using EmotionLab.Worker.Node;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// Registers the run queue: Quartz's clustered job store in the platform's PostgreSQL (its qrtz_
/// tables created on first start). With a node, this process also executes runs: the Quartz thread
/// pool has one thread per slot, heartbeats go to worker_nodes. Without one (the web app in
/// scale-out mode) it only puts runs on the queue.
/// </summary>
public static class QueueServices
{
    public const string SchedulerName = "EmotionLab";

    public static IServiceCollection AddRunQueue(this IServiceCollection services, Func<IServiceProvider, PlatformDatabase> database, WorkerNodeOptions? node)
    {
        services.AddSingleton(database);
        services.AddSingleton(sp => new RunTransitions(sp.GetRequiredService<PlatformDatabase>().DataSource));
        services.AddSingleton<RunQueue>();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = SchedulerName;
                if (node is not null) s.InstanceId = node.Name;
                // Quartz's floor; a node also wakes at once for runs scheduled in its own process.
                s.IdleWaitTime = TimeSpan.FromSeconds(1);
                s.ShutdownJobInterruption = ShutdownJobInterruption.Always;
            });
            q.UseDefaultThreadPool(node?.EffectiveSlots ?? 1);
            q.UsePersistentStore(store =>
            {
                // The embedded server's address is known only once it runs: hand Quartz the platform's data source.
                store.UsePostgres(postgres => postgres.DataSourceFactory = sp => sp.GetRequiredService<PlatformDatabase>().DataSource);
                store.ConfigureStore(ado =>
                {
                    ado.RecoverFiringsCancelledByShutdown = true;
                    // Runs wait for slots for hours: a late firing is normal, never a misfire. A
                    // misfired trigger is re-timed to now, which would put a dead node's recovered
                    // run (handed back with its original fire time) behind every run queued since.
                    ado.MisfireThreshold = TimeSpan.FromDays(30); // Quartz allows up to 49.7 days
                });
                store.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromSeconds(2);
                    c.CheckinMisfireThreshold = TimeSpan.FromSeconds(5);
                });
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
        });
        if (node is not null)
        {
            services.AddSingleton(node);
            services.AddSingleton<DeviceSlots>();
            services.AddHostedService<NodeHeartbeat>();
            services.AddHostedService<OrphanedRunSweeper>();
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        }
        return services;
    }
}
