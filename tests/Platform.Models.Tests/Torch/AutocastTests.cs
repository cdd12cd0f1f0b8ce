using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Tests.Torch;

/// <summary>torch.autocast on CPU: bf16 compute from float32 master weights, float32 gradients and losses.</summary>
public sealed class AutocastTests
{
    [Fact]
    public void Linear_runs_in_bfloat16_and_the_float32_weights_get_float32_gradients()
    {
        using var scope = torch.NewDisposeScope();
        using var layer = new Linear(16, 4);
        var x = torch.randn([8, 16]);
        var target = torch.tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3 });
        Tensor logits, loss;
        using (torch.autocast())
        {
            logits = layer.forward(x);
            loss = functional.cross_entropy(logits, target);
        }
        Assert.Equal(ScalarType.BFloat16, logits.dtype);
        Assert.Equal(ScalarType.Float32, loss.dtype);
        loss.backward();
        using var grad = layer.weight.grad!;
        Assert.Equal(ScalarType.Float32, layer.weight.dtype);
        Assert.Equal(ScalarType.Float32, grad.dtype);

        // Outside the region everything is float32 again, and the result is close to float32's.
        var exact = layer.forward(x);
        Assert.Equal(ScalarType.Float32, exact.dtype);
        Assert.True((exact - logits.to(ScalarType.Float32)).abs().max().item() < 0.05);
    }

    [Fact]
    public void Attention_softmax_statistics_stay_float32_under_autocast()
    {
        using var scope = torch.NewDisposeScope();
        var (q, k, v) = (torch.randn([2, 2, 5, 8]), torch.randn([2, 2, 5, 8]), torch.randn([2, 2, 5, 8]));
        var exact = functional.scaled_dot_product_attention(q, k, v);
        Tensor mixed;
        using (torch.autocast()) mixed = functional.scaled_dot_product_attention(q.to(ScalarType.BFloat16), k.to(ScalarType.BFloat16), v.to(ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, mixed.dtype);
        Assert.True((exact - mixed.to(ScalarType.Float32)).abs().max().item() < 0.05);
    }
}
