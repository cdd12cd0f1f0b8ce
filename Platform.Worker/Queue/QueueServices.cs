using EmotionLab.Data;
using EmotionLab.Worker.Node;
using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// Registers the run queue: Hangfire with its storage in the platform's PostgreSQL. With a node,
/// this process is also a Hangfire server that performs runs: one worker per slot, on the node's
/// queues, with heartbeats to worker_nodes. Without one (the web app in scale-out mode, `submit`)
/// it only puts runs on the queue.
/// </summary>
public static class QueueServices
{
    public static IServiceCollection AddRunQueue(this IServiceCollection services, Func<IServiceProvider, PlatformDatabase> database, WorkerNodeOptions? node)
    {
        services.AddSingleton(database);
        services.AddSingleton(sp => new RunTransitions(sp.GetRequiredService<PlatformDatabase>().DataSource));
        // Registered before AddHangfire, whose fallbacks are process-wide (JobStorage.Current,
        // JobActivator.Current): each host keeps its own database and services, as the tests need
        // when they host a web app and queue clients in one process. The embedded server's address
        // is known only once it runs, hence the factory.
        services.AddSingleton<JobStorage>(sp => QueueStorage.Create(sp.GetRequiredService<PlatformDatabase>().ConnectionString));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        services.AddSingleton<RunQueue>();
        services.AddSingleton<QueueServerList>();
        services.AddSingleton<RunControl>();
        if (node is null) return services;

        services.AddSingleton(node);
        services.AddSingleton<DeviceSlots>();
        services.AddTransient<RunJob>();
        services.AddHostedService<NodeHeartbeat>();
        services.AddHostedService<AbandonedJobRecovery>();
        services.AddHangfireServer(server =>
        {
            server.ServerName = node.Name;
            server.WorkerCount = node.EffectiveSlots;
            server.Queues = node.EffectiveQueues;
            // A killed node's server is dropped 30 s after its last heartbeat, and then its runs are
            // given back (AbandonedJobRecovery): well within the 90 s a lab waits for a recovery.
            server.HeartbeatInterval = TimeSpan.FromSeconds(5);
            server.ServerTimeout = TimeSpan.FromSeconds(30);
            server.ServerCheckInterval = TimeSpan.FromSeconds(5);
            // A stopping node hands its runs back at once (RunJob kills its trainers on the token).
            server.StopTimeout = TimeSpan.Zero;
            server.ShutdownTimeout = TimeSpan.FromSeconds(20);
        });
        return services;
    }
}
