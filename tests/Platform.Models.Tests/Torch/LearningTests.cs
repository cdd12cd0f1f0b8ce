using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Tests.Torch;

public sealed class LearningTests
{
    /// <summary>Four Gaussian clusters in 16 dimensions, labelled by cluster: separable, but not linearly by one axis.</summary>
    private static (Tensor x, Tensor y) Clusters(int perClass, int seed)
    {
        torch.manual_seed(seed);
        using var scope = torch.NewDisposeScope();
        var centres = torch.randn([4, 16]) * 3;
        var labels = torch.arange(4).unsqueeze(1).expand(4, perClass).reshape(-1);
        var x = centres.index_select(0, labels) + torch.randn([4L * perClass, 16]);
        return (x.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
    }

    [Fact]
    public void Small_mlp_learns_a_separable_problem_above_95_percent()
    {
        torch.manual_seed(7);
        using var model = new Sequential(new Linear(16, 32), new ReLU(), new Dropout(0.1), new Linear(32, 4));
        using var optimizer = new torch.optim.Adam(model.parameters(), lr: 1e-2);
        var (trainX, trainY) = Clusters(100, seed: 1);
        using (trainX)
        using (trainY)
        {
            for (var step = 0; step < 150; step++)
            {
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                functional.cross_entropy(model.forward(trainX), trainY).backward();
                optimizer.step();
            }
        }

        // Held-out points from the same clusters (same centres: same seed for the centres draw).
        var (testX, testY) = Clusters(100, seed: 1);
        using var noiseScope = torch.NewDisposeScope();
        torch.manual_seed(99);
        var shifted = testX + torch.randn(testX.shape) * 0.5; // fresh noise: not the training points
        model.eval();
        using (torch.no_grad())
        {
            var accuracy = model.forward(shifted).argmax(1).eq(testY).to(torch.float32).mean().item();
            Assert.True(accuracy > 0.95, $"held-out accuracy {accuracy:P1}");
        }
        testX.Dispose();
        testY.Dispose();
    }
}
