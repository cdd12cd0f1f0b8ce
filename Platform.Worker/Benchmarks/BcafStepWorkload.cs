using System.Diagnostics;
using EmotionLab.Models.Torch;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// One BCAF training step as BENCHMARKS.md specifies it, ready to repeat: the model, Adam
/// (lr 1e-4, weight decay 1e-4) and a fixed random batch, seeded; tools/bench_engine.py builds the same.
/// </summary>
public sealed class BcafStepWorkload : IDisposable
{
    private readonly BcafStepModel model;
    private readonly torch.optim.Adam optimizer;
    private readonly Tensor audio, text, labels;

    public BcafStepWorkload()
    {
        torch.manual_seed(0);
        model = new BcafStepModel();
        optimizer = new torch.optim.Adam(model.parameters(), lr: 1e-4, weight_decay: 1e-4);
        audio = torch.randn([BcafStepModel.Batch, BcafStepModel.Utterances, BcafStepModel.Features]).DetachFromDisposeScope();
        text = torch.randn([BcafStepModel.Batch, BcafStepModel.Utterances, BcafStepModel.Features]).DetachFromDisposeScope();
        labels = torch.randint(0, BcafStepModel.Classes, [BcafStepModel.Batch, BcafStepModel.Utterances]).DetachFromDisposeScope();
    }

    public long ParameterCount => model.parameter_count();

    /// <summary>
    /// Forward, loss, backward, optimizer step, reading the loss; returns ms for total, forward,
    /// backward, optimizer. With bf16 the forward pass and loss run under autocast (the trainer's
    /// bf16 precision), the weights and Adam's state staying float32.
    /// </summary>
    public double[] Step(bool bf16 = false)
    {
        using var scope = torch.NewDisposeScope();
        var watch = Stopwatch.StartNew();
        optimizer.zero_grad();
        Tensor loss;
        using (bf16 ? torch.autocast(ScalarType.BFloat16) : null) loss = model.Loss(audio, text, labels);
        if (loss.dtype != ScalarType.Float32) loss = loss.to(ScalarType.Float32);
        var forward = watch.Elapsed.TotalMilliseconds;
        loss.backward();
        var backward = watch.Elapsed.TotalMilliseconds;
        optimizer.step();
        _ = loss.item();
        var total = watch.Elapsed.TotalMilliseconds;
        return [total, forward, backward - forward, total - backward];
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
        audio.Dispose();
        text.Dispose();
        labels.Dispose();
    }
}
