using System.Reflection;
using EmotionLab.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EmotionLab.Worker.Node;

/// <summary>Records this node in worker_nodes (slots, devices, version) and refreshes its heartbeat every few seconds.</summary>
public sealed class NodeHeartbeat(PlatformDatabase database, WorkerNodeOptions options, ILogger<NodeHeartbeat> log) : BackgroundService
{
    public static string Version { get; } =
        typeof(NodeHeartbeat).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.HeartbeatSeconds));
        do
        {
            try
            {
                await using var command = database.DataSource.CreateCommand("""
                    INSERT INTO worker_nodes (name, slots, devices, version, started_at, heartbeat_at)
                    VALUES (@name, @slots, @devices, @version, @started, now())
                    ON CONFLICT (name) DO UPDATE SET slots = excluded.slots, devices = excluded.devices,
                        version = excluded.version, started_at = excluded.started_at, heartbeat_at = now()
                    """);
                command.Parameters.AddWithValue("name", options.Name);
                command.Parameters.AddWithValue("slots", options.EffectiveSlots);
                command.Parameters.AddWithValue("devices", options.EffectiveDevices);
                command.Parameters.AddWithValue("version", Version);
                command.Parameters.AddWithValue("started", startedAt);
                await command.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database blip must not stop the node: the next beat tries again.
                log.LogWarning("Heartbeat of {Node} failed: {Message}", options.Name, e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
