using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Tests.Torch;

/// <summary>Bad shapes, dtypes and disposed tensors throw TorchException naming the op and shapes; the process lives on.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void Shape_mismatch_names_the_op_and_both_shapes()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => torch.ones([2, 3]).matmul(torch.ones([4, 5])));
        Assert.StartsWith("matmul([2, 3] float32, [4, 5] float32): ", e.Message);
        Assert.Contains("cannot be multiplied", e.Message);
        Assert.Equal(new[] { 3f, 3f }, torch.ones([2, 3]).matmul(torch.ones([3, 1])).flatten().data<float>());
    }

    [Fact]
    public void Dtype_mismatch_names_the_op_and_dtypes()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => torch.ones([2, 2]).mm(torch.ones([2, 2], torch.int64)));
        Assert.StartsWith("mm([2, 2] float32, [2, 2] int64): ", e.Message);
    }

    [Fact]
    public void Layer_given_the_wrong_width_says_so()
    {
        using var scope = torch.NewDisposeScope();
        using var layer = new Linear(4, 3);
        var e = Assert.Throws<TorchException>(() => layer.forward(torch.ones([2, 5])));
        Assert.StartsWith("linear([2, 5] float32, [3, 4] float32, [3] float32): ", e.Message);
    }

    [Fact]
    public void Use_after_dispose_is_an_exception_not_a_crash()
    {
        var t = torch.ones([3]);
        t.Dispose();
        var e = Assert.Throws<TorchException>(() => t + t);
        Assert.Equal("add: the tensor was disposed and cannot be used", e.Message);
        Assert.Throws<TorchException>(() => t.shape);
        t.Dispose(); // twice is harmless
    }

    [Fact]
    public void Cross_entropy_with_out_of_range_labels_and_bad_reshapes_throw()
    {
        using var scope = torch.NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => functional.cross_entropy(torch.zeros([2, 3]), torch.tensor(new[] { 0L, 7L })));
        Assert.StartsWith("cross_entropy([2, 3] float32, [2] int64, None): ", e.Message);
        var r = Assert.Throws<TorchException>(() => torch.ones([2, 3]).reshape(4, 2));
        Assert.StartsWith("reshape([4, 2])([2, 3] float32): ", r.Message);
    }

    [Fact]
    public void Loading_a_state_dict_with_a_wrong_shape_names_the_key()
    {
        using var layer = new Linear(4, 3);
        using var wrong = torch.zeros([3, 5]);
        using var bias = torch.zeros([3]);
        var e = Assert.Throws<TorchException>(() => layer.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = wrong, ["bias"] = bias }));
        Assert.Equal("load_state_dict: 'weight' has shape [3, 5] in the source but [3, 4] in the module", e.Message);
        var missing = Assert.Throws<TorchException>(() => layer.load_state_dict(new Dictionary<string, Tensor> { ["bias"] = bias }));
        Assert.Contains("missing keys [weight]", missing.Message);
    }
}
