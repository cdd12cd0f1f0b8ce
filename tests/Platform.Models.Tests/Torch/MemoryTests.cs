using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Tests.Torch;

/// <summary>Runs alone (other tests allocate in the same process) so resident memory is this test's.</summary>
[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public sealed class MemoryTestsCollection;

[Collection(nameof(MemoryTests))]
public sealed class MemoryTests
{
    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    [Fact]
    public void Thousand_training_steps_keep_resident_memory_flat()
    {
        torch.manual_seed(3);
        using var model = new Sequential(new Linear(256, 512), new ReLU(), new Dropout(0.2), new Linear(512, 7));
        using var norm = new LayerNorm(256);
        using var optimizer = new torch.optim.AdamW(norm.parameters().Concat(model.parameters()), lr: 1e-3);
        using var x = torch.randn([64, 256]);
        using var y = torch.randint(0, 7, [64]);
        long afterWarmup = 0;
        for (var step = 0; step < 1000; step++)
        {
            using (var scope = torch.NewDisposeScope())
            {
                optimizer.zero_grad();
                var loss = functional.cross_entropy(model.forward(norm.forward(x)), y);
                loss.backward();
                torch.nn.utils.clip_grad_norm_(optimizer.Parameters, 1.0);
                optimizer.step();
                _ = loss.item();
            }
            if (step == 99) afterWarmup = ResidentBytes();
        }
        var growth = (double)(ResidentBytes() - afterWarmup) / afterWarmup;
        // A leak of one activation per step (64 x 512 floats) would add 117 MiB here.
        Assert.True(growth < 0.05, $"resident memory grew {growth:P1} from step 100 to step 1000");
    }
}
