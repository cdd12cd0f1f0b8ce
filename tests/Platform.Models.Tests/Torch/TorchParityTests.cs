using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Tests.Torch;

/// <summary>Every op, layer, loss and optimizer against PyTorch's own results (tools/make_torch_fixtures.py).</summary>
public sealed class TorchParityTests
{
    private static readonly Dictionary<string, Func<Tensor[], Tensor[]>> Ops = new()
    {
        ["matmul"] = x => [x[0].matmul(x[1])],
        ["bmm"] = x => [x[0].bmm(x[1])],
        ["add"] = x => [x[0] + x[1]],
        ["sub"] = x => [x[0] - x[1]],
        ["mul"] = x => [x[0] * x[1]],
        ["div"] = x => [x[0] / x[1]],
        ["pow"] = x => [x[0].pow(x[1])],
        ["pow_scalar"] = x => [x[0].pow(2.5)],
        ["scalar_arith"] = x => [(2.0 - x[0]) * 3.0 + 1.0 / (x[0] + 4.0)],
        ["exp"] = x => [x[0].exp()],
        ["log"] = x => [x[0].log()],
        ["sqrt"] = x => [x[0].sqrt()],
        ["relu"] = x => [x[0].relu()],
        ["gelu"] = x => [x[0].gelu()],
        ["gelu_tanh"] = x => [x[0].gelu(tanhApproximation: true)],
        ["silu"] = x => [x[0].silu()],
        ["tanh"] = x => [x[0].tanh()],
        ["sigmoid"] = x => [x[0].sigmoid()],
        ["softmax"] = x => [x[0].softmax(-1)],
        ["log_softmax"] = x => [x[0].log_softmax(1)],
        ["layer_norm"] = x => [functional.layer_norm(x[0], [8], x[1], x[2], 1e-5)],
        ["dropout"] = x => { torch.manual_seed(123); return [functional.dropout(x[0], 0.3, true)]; },
        ["cat"] = x => [torch.cat([x[0], x[1]], 1)],
        ["stack"] = x => [torch.stack([x[0], x[1]], 0)],
        ["split"] = x => x[0].split(3, 0),
        ["chunk"] = x => x[0].chunk(3, 1),
        ["reshape"] = x => [x[0].reshape(6, 4)],
        ["view"] = x => [x[0].view(4, 6)],
        ["permute"] = x => [x[0].permute(2, 0, 1)],
        ["transpose"] = x => [x[0].transpose(0, 2)],
        ["unsqueeze"] = x => [x[0].unsqueeze(1)],
        ["expand"] = x => [x[0].expand(3, 4)],
        ["index_slice"] = x => [x[0][1, TensorIndex.Slice(0, 3, 2)]],
        ["masked_fill"] = x => [x[0].masked_fill(x[1], -1.5)],
        ["where"] = x => [torch.where(x[0], x[1], x[2])],
        ["sum_dim"] = x => [x[0].sum(1, keepdim: true)],
        ["mean_dims"] = x => [x[0].mean([0, 2])],
        ["sum_all"] = x => [x[0].sum()],
        ["mean_all"] = x => [x[0].mean()],
        ["max_dim"] = x => { var (v, i) = x[0].max(1); return [v, i]; },
        ["argmax"] = x => [x[0].argmax(1)],
        ["cosine_similarity"] = x => [functional.cosine_similarity(x[0], x[1], 1)],
        ["normalize"] = x => [functional.normalize(x[0], 2, 1)],
        ["conv1d"] = x => [functional.conv1d(x[0], x[1], x[2], stride: 2, padding: 1)],
        ["conv2d"] = x => [functional.conv2d(x[0], x[1], x[2], padding: [1, 1])],
        ["pad_constant"] = x => [functional.pad(x[0], [1, 2], PaddingMode.Constant, 0.5)],
        ["pad_reflect"] = x => [functional.pad(x[0], [2, 1], PaddingMode.Reflect)],
        ["embedding"] = x => [functional.embedding(x[1], x[0])],
        ["one_hot"] = x => [functional.one_hot(x[0], 5)],
        ["gather"] = x => [x[0].gather(1, x[1])],
        ["sdpa_bool_mask"] = x => [functional.scaled_dot_product_attention(x[0], x[1], x[2], x[3])],
        ["sdpa_float_mask"] = x => [functional.scaled_dot_product_attention(x[0], x[1], x[2], x[3])],
        ["cross_entropy"] = x => [functional.cross_entropy(x[0], x[1], x[2], ignore_index: 2)],
        ["cross_entropy_plain"] = x => [functional.cross_entropy(x[0], x[1])],
        ["mse_loss"] = x => [functional.mse_loss(x[0], x[1])],
        ["nll_loss"] = x => [functional.nll_loss(x[0], x[1])],
        ["focal_loss"] = x => [functional.focal_loss(x[0], x[1], 2.0, x[2])],
        ["supervised_contrastive_loss"] = x => [functional.supervised_contrastive_loss(x[0], x[1], 0.07)],
    };

    public static TheoryData<string> OpCases() => new(Ops.Keys);

    [Theory]
    [MemberData(nameof(OpCases))]
    public void Op_matches_pytorch_forward_and_backward(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var fixture = new TorchFixture(name);
        var inputs = fixture.Inputs();
        foreach (var x in inputs)
            if (x.dtype.IsFloatingPoint() && fixture.Has($"grad.in.{Array.IndexOf(inputs, x)}")) x.requires_grad = true;
        CheckOutputsAndGradients(fixture, Ops[name](inputs), inputs, new Dictionary<string, Parameter>());
    }

    private static readonly Dictionary<string, (Func<Module> make, Func<Module, Tensor[], Tensor[]> run)> Layers = new()
    {
        ["linear"] = (() => new Linear(6, 4), (m, x) => [((Linear)m).forward(x[0])]),
        ["layer_norm_module"] = (() => new LayerNorm(8), (m, x) => [((LayerNorm)m).forward(x[0])]),
        ["embedding_module"] = (() => new Embedding(10, 4, padding_idx: 0), (m, x) => [((Embedding)m).forward(x[0])]),
        ["conv1d_module"] = (() => new Conv1d(3, 4, 3, padding: 1), (m, x) => [((Conv1d)m).forward(x[0])]),
        ["conv2d_module"] = (() => new Conv2d(3, 2, 3, stride: 2, padding: 1), (m, x) => [((Conv2d)m).forward(x[0])]),
        ["sequential"] = (() => new Sequential(new Linear(5, 8), new ReLU(), new Linear(8, 3)), (m, x) => [((Sequential)m).forward(x[0])]),
        ["mha_self"] = (() => new MultiheadAttention(16, 4, batch_first: true), (m, x) =>
        {
            var (output, weights) = ((MultiheadAttention)m).forward(x[0], x[0], x[0], key_padding_mask: x[1], need_weights: true, attn_mask: x[2]);
            return [output, weights!];
        }),
        ["mha_cross"] = (() => new MultiheadAttention(16, 2), (m, x) => [((MultiheadAttention)m).forward(x[0], x[1], x[2], need_weights: false, attn_mask: x[3]).output]),
        ["mha_shared_kv"] = (() => new MultiheadAttention(16, 4, batch_first: true), (m, x) => [((MultiheadAttention)m).forward(x[0], x[1], x[1], need_weights: false).output]),
        ["transformer_encoder_layer_eval"] = (() => new TransformerEncoderLayer(16, 4, 32, 0.1, batch_first: true).eval(),
            (m, x) => [((TransformerEncoderLayer)m).forward(x[0], null, x[1])]),
        ["transformer_encoder_layer_norm_first"] = (() => new TransformerEncoderLayer(16, 2, 24, 0.0, "gelu", norm_first: true),
            (m, x) => [((TransformerEncoderLayer)m).forward(x[0])]),
        ["lora_linear"] = (() => WithLora(new Linear(6, 4), 2, 8), (m, x) => [((Linear)m).forward(x[0])]),
    };

    private static Linear WithLora(Linear layer, int rank, double alpha)
    {
        layer.attach_lora(rank, alpha);
        layer.weight.requires_grad = false;
        layer.bias!.requires_grad = false;
        return layer;
    }

    public static TheoryData<string> LayerCases() => new(Layers.Keys);

    [Theory]
    [MemberData(nameof(LayerCases))]
    public void Layer_matches_pytorch_outputs_and_parameter_gradients(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var fixture = new TorchFixture(name);
        var (make, run) = Layers[name];
        using var module = make();
        // PyTorch's state dict names are ours: loading its weights proves the layout too.
        module.load_state_dict(fixture.Params().ToDictionary(kv => kv.Key, kv => kv.Value));
        var inputs = fixture.Inputs();
        for (var i = 0; i < inputs.Length; i++)
            if (fixture.Has($"grad.in.{i}")) inputs[i].requires_grad = true;
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        CheckOutputsAndGradients(fixture, run(module, inputs), inputs, parameters);
    }

    private static void CheckOutputsAndGradients(TorchFixture fixture, Tensor[] outputs, Tensor[] inputs, Dictionary<string, Parameter> parameters)
    {
        Tensor? total = null;
        for (var i = 0; i < outputs.Length; i++)
        {
            TorchFixture.AssertClose(fixture[$"out.{i}"], outputs[i], $"output {i}");
            if (!fixture.Has($"gout.{i}")) continue;
            var term = (outputs[i] * fixture[$"gout.{i}"]).sum();
            total = total is null ? term : total + term;
        }
        Assert.True(fixture.Has($"out.{outputs.Length}") == false, "PyTorch produced more outputs");
        if (total is null) return;
        total.backward();
        var checkedGradients = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            if (!fixture.Has($"grad.in.{i}")) continue;
            TorchFixture.AssertClose(fixture[$"grad.in.{i}"], inputs[i].grad ?? throw new Xunit.Sdk.XunitException($"no gradient for input {i}"), $"gradient of input {i}");
            checkedGradients++;
        }
        foreach (var (name, p) in parameters)
        {
            var key = $"grad.param.{name}";
            if (!fixture.Has(key)) { Assert.Null(p.grad); continue; }
            TorchFixture.AssertClose(fixture[key], p.grad ?? throw new Xunit.Sdk.XunitException($"no gradient for {name}"), $"gradient of {name}");
            checkedGradients++;
        }
        Assert.True(checkedGradients > 0, "the case checked no gradient");
    }

    public static TheoryData<string> OptimizerCases() => new(["sgd_momentum", "sgd_nesterov", "adam", "adamw"]);

    [Theory]
    [MemberData(nameof(OptimizerCases))]
    public void Optimizer_steps_match_pytorch(string name)
    {
        using var scope = torch.NewDisposeScope();
        using var fixture = new TorchFixture("optim_" + name);
        using var p = new Parameter(fixture["start"].clone());
        using torch.optim.Optimizer optimizer = name switch
        {
            "sgd_momentum" => new torch.optim.SGD([p], lr: 0.1, momentum: 0.9, dampening: 0.1, weight_decay: 0.01),
            "sgd_nesterov" => new torch.optim.SGD([p], lr: 0.1, momentum: 0.9, weight_decay: 0.01, nesterov: true),
            "adam" => new torch.optim.Adam([p], lr: 0.01, weight_decay: 0.01),
            _ => new torch.optim.AdamW([p], lr: 0.01, weight_decay: 0.1),
        };
        for (var k = 0; k < 2; k++)
        {
            optimizer.zero_grad();
            ((p * fixture[$"g.{k}"]).sum() + 0.5 * p.pow(2).sum()).backward();
            optimizer.step();
            TorchFixture.AssertClose(fixture[$"after.{k}"], p, $"{name} parameter after step {k + 1}");
        }
    }

    [Fact]
    public void Gradient_clipping_matches_pytorch()
    {
        using var scope = torch.NewDisposeScope();
        using var fixture = new TorchFixture("clip_grad_norm");
        using var p1 = new Parameter(torch.zeros([3, 4]));
        using var p2 = new Parameter(torch.zeros([6]));
        // Gradients equal to the fixture's: d/dp sum(p * g) = g.
        ((p1 * fixture["grad.0"]).sum() + (p2 * fixture["grad.1"]).sum()).backward();
        var total = torch.nn.utils.clip_grad_norm_([p1, p2], 1.0);
        Assert.Equal(fixture["total"].item(), total, 5);
        TorchFixture.AssertClose(fixture["clipped.0"], p1.grad!, "clipped gradient 0");
        TorchFixture.AssertClose(fixture["clipped.1"], p2.grad!, "clipped gradient 1");
    }

    [Fact]
    public void Learning_rate_schedules_match_pytorch()
    {
        using var fixture = new TorchFixture("lr_schedules");
        using var p = new Parameter(torch.zeros([1]));
        foreach (var (key, make) in new (string, Func<torch.optim.Optimizer, torch.optim.lr_scheduler.LRScheduler>)[]
                 {
                     ("step_lr", o => new torch.optim.lr_scheduler.StepLR(o, 7, 0.5)),
                     ("warmup_cosine", o => new torch.optim.lr_scheduler.WarmupCosineLR(o, 5, 25)),
                 })
        {
            using var optimizer = new torch.optim.SGD([p], lr: 0.5);
            var scheduler = make(optimizer);
            var expected = fixture[key].data<double>();
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i], optimizer.LearningRate, 12);
                scheduler.step();
            }
        }
    }
}
