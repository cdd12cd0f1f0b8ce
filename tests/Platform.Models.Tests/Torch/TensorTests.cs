using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Torch;

public sealed class TensorTests
{
    [Fact]
    public void Arrays_round_trip_in_every_supported_dtype()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new[] { 1.5f, -2f, 3.25f }, torch.tensor(new[] { 1.5f, -2f, 3.25f }).data<float>());
        Assert.Equal(new[] { 7L, -1L }, torch.tensor(new[] { 7L, -1L }).data<long>());
        Assert.Equal(new[] { true, false }, torch.tensor(new[] { true, false }).data<bool>());
        var halves = torch.tensor(new[] { 0.5f, 2f, -4f }).to(torch.float16);
        Assert.Equal(ScalarType.Float16, halves.dtype);
        Assert.Equal(new[] { (Half)0.5f, (Half)2f, (Half)(-4f) }, halves.data<Half>());
        var brain = torch.tensor(new[] { 1f, 0.25f }).to(torch.bfloat16);
        Assert.Equal(ScalarType.BFloat16, brain.dtype);
        Assert.Equal(new[] { 1f, 0.25f }, brain.to(torch.float32).data<float>());
        var matrix = torch.tensor(new[] { 1f, 2, 3, 4, 5, 6 }, [2, 3]);
        Assert.Equal(new long[] { 2, 3 }, matrix.shape);
        Assert.Equal(6f, matrix[1, 2].item<float>());
    }

    [Fact]
    public void Data_with_the_wrong_element_type_is_refused()
    {
        using var t = torch.ones([2]);
        var e = Assert.Throws<TorchException>(() => t.data<long>());
        Assert.Contains("data<Int64>([2] float32)", e.Message);
    }

    [Fact]
    public void Views_share_storage_and_slices_select_ranges()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(12, torch.float32).reshape(3, 4);
        Assert.Equal(new[] { 4f, 5, 6, 7 }, x[1].data<float>());
        Assert.Equal(new[] { 1f, 3, 9, 11 }, x[TensorIndex.Slice(0, 3, 2), TensorIndex.Slice(1, 4, 2)].contiguous().data<float>());
        Assert.Equal(new[] { 8f, 9, 10, 11 }, x[^1..].flatten().data<float>());
        x.view(12).select(0, 0).fill_(100);
        Assert.Equal(100f, x[0, 0].item<float>());
        Assert.Equal(new long[] { 4, 3 }, x.mT.shape);
        Assert.False(x.mT.is_contiguous());
    }

    [Fact]
    public void Autograd_records_unless_no_grad()
    {
        using var scope = torch.NewDisposeScope();
        var w = torch.tensor(new[] { 2f, 3f }, requires_grad: true);
        (w * w).sum().backward();
        Assert.Equal(new[] { 4f, 6f }, w.grad!.data<float>());
        using (torch.no_grad())
        {
            Assert.False(torch.is_grad_enabled());
            Assert.False((w * 2).requires_grad);
        }
        Assert.True(torch.is_grad_enabled());
        w.zero_grad();
        Assert.Null(w.grad);
    }

    [Fact]
    public void Dispose_scope_frees_what_it_made_except_what_moved_out()
    {
        var outside = torch.ones([2]);
        Tensor inner, kept;
        using (var scope = torch.NewDisposeScope())
        {
            inner = outside + 1;
            kept = (outside * 3).MoveToOuterDisposeScope();
            Assert.Equal(1, scope.Count);
        }
        Assert.True(inner.IsDisposed);
        Assert.False(kept.IsDisposed);
        Assert.False(outside.IsDisposed);
        Assert.Equal(new[] { 3f, 3f }, kept.data<float>());
        kept.Dispose();
        outside.Dispose();
    }

    [Fact]
    public void Same_seed_gives_the_same_numbers()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(42);
        var a = torch.randn([5]).data<float>();
        torch.manual_seed(42);
        Assert.Equal(a, torch.randn([5]).data<float>());
    }

    [Fact]
    public void Thread_count_is_settable()
    {
        var before = torch.get_num_threads();
        torch.set_num_threads(1);
        Assert.Equal(1, torch.get_num_threads());
        torch.set_num_threads(before);
    }

    [Fact]
    public void Cuda_tensors_work_when_a_gpu_is_present_and_fail_cleanly_when_not()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones([2, 2]);
        if (torch.cuda.is_available())
        {
            var y = x.to(Device.Parse("cuda:0"));
            Assert.Equal(DeviceType.CUDA, y.device.Type);
            Assert.Equal(4f, y.sum().cpu().item<float>());
        }
        else
        {
            var e = Assert.Throws<TorchException>(() => x.to(Device.CUDA(0)));
            Assert.Contains("to(float32, cuda:0)([2, 2] float32)", e.Message);
        }
    }
}
