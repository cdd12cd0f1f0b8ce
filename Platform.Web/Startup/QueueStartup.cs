using EmotionLab.Data;
using EmotionLab.Worker.Node;
using EmotionLab.Web.Runs;
using EmotionLab.Worker.Queue;

namespace EmotionLab.Web.Startup;

/// <summary>
/// The web app's side of the queue. It always submits runs (Quartz's store in the platform
/// database). In single-machine mode (Worker:InProcess, the default) it is also a worker node with
/// the "Worker" section's slots and devices; set Worker:InProcess=false when separate
/// `Platform.Worker serve` nodes do the training.
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
            // A stable default name: after a restart Quartz recovers this node's own unfinished runs at once.
            if (section["Name"] is not { Length: > 0 }) node.Name = $"{Environment.MachineName}-web";
            node.ArtifactRoot = ArtifactRoot.Resolve(builder.Configuration, builder.Environment);
            node.Validate();
        }
        builder.Services.AddRunQueue(sp => new PlatformDatabase(sp.GetRequiredService<DatabaseConnection>().ConnectionString), node);
        builder.Services.AddSingleton(new SubmissionResources(ArtifactRoot.Resolve(builder.Configuration, builder.Environment), SubmissionResources.MachineMemoryBytes));
        builder.Services.AddSingleton<ExperimentSubmission>();
        builder.Services.AddSingleton<RunControl>();
        return builder;
    }
}
