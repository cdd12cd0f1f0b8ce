using EmotionLab.Worker.Node;
using EmotionLab.Worker.Queue;
using Microsoft.Extensions.Configuration;

namespace EmotionLab.Worker.Tests.Node;

/// <summary>A node's settings as `serve` and the web app bind them from configuration (appsettings.json, then Worker__ variables).</summary>
public sealed class WorkerNodeOptionsTests
{
    private static WorkerNodeOptions Bind(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build()
            .GetSection(WorkerNodeOptions.Section).Get<WorkerNodeOptions>() ?? new WorkerNodeOptions();

    [Fact]
    public void A_gpu_box_given_its_device_in_the_environment_has_only_that_device_and_serves_the_gpu_queue()
    {
        var options = Bind(("Worker:Devices:0", "cuda:0"));
        Assert.Equal(["cuda:0"], options.EffectiveDevices);
        Assert.Equal(1, options.EffectiveSlots);
        Assert.Equal([RunQueues.Gpu, RunQueues.Shared], options.EffectiveQueues);
        options.Validate();
    }

    [Fact]
    public void Without_devices_a_node_trains_on_its_cpu_and_serves_the_cpu_queue()
    {
        foreach (var options in new[] { Bind(), Bind(("Worker:Devices:0", "cpu")) })
        {
            Assert.Equal(["cpu"], options.EffectiveDevices);
            Assert.Equal([RunQueues.Cpu, RunQueues.Shared], options.EffectiveQueues);
        }
    }

    [Fact]
    public void Queues_are_configurable_and_a_gpu_queue_without_a_cuda_device_is_refused()
    {
        Assert.Equal([RunQueues.Shared], Bind(("Worker:Devices:0", "cuda:0"), ("Worker:Queues:0", "shared")).EffectiveQueues);
        var error = Assert.Throws<ArgumentException>(() => Bind(("Worker:Queues:0", "gpu")).Validate());
        Assert.Equal("Worker:Queues has 'gpu' but Worker:Devices (cpu) has no CUDA device: a run that asks for a GPU would train on the CPU", error.Message);
        error = Assert.Throws<ArgumentException>(() => Bind(("Worker:Queues:0", "default")).Validate());
        Assert.Equal("Worker:Queues has 'default': each queue is gpu, cpu or shared", error.Message);
    }
}
