using EmotionLab.Data;
using EmotionLab.Worker.Node;
using EmotionLab.Worker.Queue;

namespace EmotionLab.Web.Startup;

/// <summary>
/// The web app's side of the queue. It always submits runs (Hangfire's storage in the platform
/// database) and shows Hangfire's dashboard. In single-machine mode (Worker:InProcess, the default)
/// it is also a worker node, a Hangfire server with the "Worker" section's slots, devices and
/// queues; set Worker:InProcess=false when separate `Platform.Worker serve` nodes do the training.
/// </summary>
public static class QueueStartup
{
    public static WebApplicationBuilder AddEmotionLabQueue(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(WorkerNodeOptions.Section);
        WorkerNodeOptions? node = null;
        if (section.GetValue("InProcess", defaultValue: true))
        {
            node = section.Get<WorkerNodeOptions>() ?? new WorkerNodeOptions();
            // A stable default name, so the Workers page shows one node across restarts.
            if (section["Name"] is not { Length: > 0 }) node.Name = $"{Environment.MachineName}-web";
            node.ArtifactRoot = ArtifactRoot.Resolve(builder.Configuration, builder.Environment);
            node.Validate();
        }
        builder.Services.AddRunQueue(sp => new PlatformDatabase(sp.GetRequiredService<DatabaseConnection>().ConnectionString), node);
        builder.Services.AddSingleton(new SubmissionResources(ArtifactRoot.Resolve(builder.Configuration, builder.Environment), SubmissionResources.MachineMemoryBytes));
        builder.Services.AddSingleton<ExperimentSubmission>();
        builder.Services.AddSingleton(sp => new LabDeletion(sp.GetRequiredService<PlatformDatabase>(), sp.GetRequiredService<RunControl>(),
            ArtifactRoot.Resolve(builder.Configuration, builder.Environment)));
        return builder;
    }
}
