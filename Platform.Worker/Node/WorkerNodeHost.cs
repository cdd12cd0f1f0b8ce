using EmotionLab.Data;
using EmotionLab.Worker.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EmotionLab.Worker.Node;

/// <summary>
/// `serve`: a worker node of the cluster. Configuration comes from appsettings.json, environment
/// variables (ConnectionStrings__EmotionLab, Worker__Slots, Worker__Devices__0, ...) and the
/// command line's options, in that order. The node brings the schema up to date, then takes runs
/// off the queue until it is stopped (Ctrl+C / SIGTERM hand its running runs back to the queue).
/// </summary>
public static class WorkerNodeHost
{
    public static async Task<int> RunAsync(string? connectionString, Action<WorkerNodeOptions> overrides, CancellationToken cancellation)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        connectionString ??= builder.Configuration.GetConnectionString("EmotionLab");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine("serve: no database: pass --database or set ConnectionStrings__EmotionLab (every node points at the same PostgreSQL)");
            return 2;
        }
        var options = builder.Configuration.GetSection(WorkerNodeOptions.Section).Get<WorkerNodeOptions>() ?? new WorkerNodeOptions();
        overrides(options);
        options.ArtifactRoot = Path.GetFullPath(options.ArtifactRoot);
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"serve: {e.Message}");
            return 2;
        }

        await DatabaseSchema.MigrateAsync(connectionString, cancellation);
        builder.Services.AddRunQueue(_ => new PlatformDatabase(connectionString), options);
        builder.Logging.AddFilter("Hangfire", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(30));
        using var host = builder.Build();
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EmotionLab.Worker")
            .LogInformation("Worker node {Node}: {Slots} slot(s) on {Devices}, artifacts in {Artifacts}", options.Name, options.EffectiveSlots,
                string.Join(", ", options.EffectiveDevices), options.ArtifactRoot);
        await host.RunAsync(cancellation);
        return 0;
    }
}
