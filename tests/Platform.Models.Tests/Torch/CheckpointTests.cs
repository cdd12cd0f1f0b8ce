using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Tests.Torch;

public sealed class CheckpointTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "elt-checkpoint-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, true);
    }

    [Fact]
    public void Safetensors_round_trips_every_dtype_and_the_metadata()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "all.safetensors");
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = torch.randn([2, 3]),
            ["f16"] = torch.randn([4]).to(torch.float16),
            ["bf16"] = torch.randn([3, 1]).to(torch.bfloat16),
            ["i64"] = torch.tensor(new[] { 5L, -9L }),
            ["bool"] = torch.tensor(new[] { true, false, true }),
            ["scalar"] = torch.tensor(2.5f),
        };
        Safetensors.Save(path, tensors, new Dictionary<string, string> { ["run"] = "42" });

        // The file is the HF layout: u64 header length, JSON header, 8-byte aligned data.
        var bytes = File.ReadAllBytes(path);
        var headerLength = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0UL, headerLength % 8);
        var header = System.Text.Json.JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength)).RootElement;
        Assert.Equal("BF16", header.GetProperty("bf16").GetProperty("dtype").GetString());
        Assert.Equal("42", header.GetProperty("__metadata__").GetProperty("run").GetString());

        var (loaded, metadata) = Safetensors.Load(path);
        Assert.Equal("42", metadata["run"]);
        foreach (var (name, original) in tensors)
        {
            Assert.Equal(original.dtype, loaded[name].dtype);
            Assert.Equal(original.shape, loaded[name].shape);
            Assert.Equal(original.bytes(), loaded[name].bytes());
            loaded[name].Dispose();
        }
    }

    [Fact]
    public void Truncated_file_is_reported_with_its_path()
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "bad.safetensors");
        using (var t = torch.ones([100])) Safetensors.Save(path, new Dictionary<string, Tensor> { ["w"] = t });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^40]);
        var e = Assert.Throws<TorchException>(() => Safetensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("'w' has data_offsets", e.Message);
    }

    [Fact]
    public void Resuming_from_a_checkpoint_continues_exactly()
    {
        static Sequential MakeModel() => new(new Linear(8, 16), new ReLU(), new Linear(16, 3));
        using var data = torch.randn([32, 8]);
        using var labels = torch.randint(0, 3, [32]);
        void Step(Sequential m, torch.optim.Optimizer o)
        {
            using var scope = torch.NewDisposeScope();
            o.zero_grad();
            functional.cross_entropy(m.forward(data), labels).backward();
            o.step();
        }

        torch.manual_seed(11);
        using var model = MakeModel();
        using var optimizer = new torch.optim.Adam(model.parameters(), lr: 1e-2, weight_decay: 1e-4);
        for (var i = 0; i < 5; i++) Step(model, optimizer);
        Checkpoint.Save(folder, model, optimizer, new Dictionary<string, string> { ["epoch"] = "5" });

        torch.manual_seed(999); // different init: everything must come from the checkpoint
        using var resumed = MakeModel();
        using var resumedOptimizer = new torch.optim.Adam(resumed.parameters(), lr: 1e-2, weight_decay: 1e-4);
        Assert.Equal("5", Checkpoint.Load(folder, resumed, resumedOptimizer)["epoch"]);
        Assert.Equal(5, resumedOptimizer.StepCount);

        Step(model, optimizer);
        Step(resumed, resumedOptimizer);
        var expected = model.state_dict();
        foreach (var (name, t) in resumed.state_dict())
            Assert.Equal(expected[name].data<float>(), t.data<float>());
    }
}
