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
    public void A_lora_adapter_starts_as_the_layer_trains_alone_and_merges_to_the_same_outputs()
    {
        using var scope = torch.NewDisposeScope();
        using var layer = new Linear(6, 4);
        var x = torch.randn([3, 6]);
        var before = layer.forward(x).data<float>();
        layer.attach_lora(rank: 2, alpha: 16, dropout: 0.2);
        layer.weight.requires_grad = false;
        layer.bias!.requires_grad = false;
        layer.eval();
        Assert.Equal(before, layer.forward(x).data<float>());
        Assert.Equal(8.0, layer.lora_scaling);
        Assert.Equal(["weight", "bias", "lora_A.weight", "lora_B.weight"], layer.state_dict().Keys);
        using var optimizer = new torch.optim.AdamW(layer.parameters().Where(p => p.requires_grad), lr: 1e-2);
        Assert.Equal(2, optimizer.Parameters.Length); // lora_A and lora_B only
        var weight = layer.weight.data<float>();
        layer.train();
        for (var i = 0; i < 3; i++)
        {
            optimizer.zero_grad();
            layer.forward(x).pow(2).sum().backward();
            optimizer.step();
        }
        Assert.Equal(weight, layer.weight.data<float>());
        layer.eval();
        var adapted = layer.forward(x).data<float>();
        Assert.NotEqual(before, adapted);
        layer.merge_lora();
        Assert.Null(layer.lora_A);
        Assert.Equal(["weight", "bias"], layer.state_dict().Keys);
        var merged = layer.forward(x).data<float>();
        for (var i = 0; i < merged.Length; i++) Assert.Equal(adapted[i], merged[i], 1e-5);
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
