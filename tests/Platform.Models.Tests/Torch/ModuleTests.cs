using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Tests.Torch;

public sealed class ModuleTests
{
    [Fact]
    public void Parameter_names_follow_pytorch_so_state_dicts_are_interchangeable()
    {
        using var layer = new TransformerEncoderLayer(8, 2, 16);
        Assert.Equal(
            ["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
             "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"],
            layer.named_parameters().Select(p => p.name));
        using var list = new ModuleList<Linear>(new Linear(2, 3), new Linear(3, 4, hasBias: false));
        Assert.Equal(["0.weight", "0.bias", "1.weight"], list.named_parameters().Select(p => p.name));
        Assert.Equal(2 * 3 + 3 + 3 * 4, list.parameter_count());
    }

    [Fact]
    public void Eval_switches_dropout_off_through_nested_modules()
    {
        using var scope = torch.NewDisposeScope();
        using var model = new Sequential(new Dropout(0.5), new Sequential(new Dropout(0.5)));
        var x = torch.ones([1000]);
        Assert.True(model.forward(x).eq(0).sum().item() > 300);
        model.eval();
        Assert.False(((Sequential)model[1]).training);
        Assert.Equal(0, model.forward(x).eq(0).sum().item());
    }

    [Fact]
    public void Lora_freezes_the_base_and_starts_as_the_base()
    {
        using var scope = torch.NewDisposeScope();
        var baseLayer = new Linear(6, 4);
        using var lora = new LoRALinear(baseLayer, rank: 2, alpha: 16, dropout: 0.2);
        lora.eval();
        var x = torch.randn([3, 6]);
        Assert.Equal(baseLayer.forward(x).data<float>(), lora.forward(x).data<float>());
        Assert.Equal(8.0, lora.scaling);
        using var optimizer = new torch.optim.AdamW(lora.parameters(), lr: 1e-2);
        Assert.Equal(2, optimizer.Parameters.Length); // lora_A and lora_B only
        var before = baseLayer.weight.data<float>();
        lora.train();
        for (var i = 0; i < 3; i++)
        {
            optimizer.zero_grad();
            lora.forward(x).pow(2).sum().backward();
            optimizer.step();
        }
        Assert.Equal(before, baseLayer.weight.data<float>());
        lora.eval();
        Assert.NotEqual(baseLayer.forward(x).data<float>(), lora.forward(x).data<float>());
    }

    [Fact]
    public void Moving_a_module_converts_parameters_in_place()
    {
        using var layer = new Linear(3, 2);
        var weight = layer.weight;
        layer.to(Device.CPU, torch.float16);
        Assert.Same(weight, layer.weight);
        Assert.Equal(ScalarType.Float16, layer.weight.dtype);
        Assert.True(layer.weight.requires_grad);
    }
}
