using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Llama;
using EmotionLab.Models.Pretrained.Wav2Vec2;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Pretrained;

/// <summary>Freezing, last-N-layer tuning and LoRA on pretrained models, with PEFT-layout adapters.</summary>
public sealed class TuningTests : IDisposable
{
    private readonly PretrainedFixture llama = new("llama");
    private readonly string adapterFolder = Path.Combine(Path.GetTempPath(), "elt-adapter-" + Guid.NewGuid().ToString("N")[..8]);
    private static readonly LoraSettings Paper = new() { Rank = 2, Alpha = 16, Dropout = 0.2, TargetModules = ["q_proj", "v_proj"] };

    private Tensor Logits(LlamaForCausalLM model) =>
        model.Logits(model.forward(model.Embed(llama["in.input_ids"]), llama["in.attention_mask"]).LastHiddenState);

    // A few AdamW steps so B is no longer zero and the adapter changes the outputs.
    private void Train(LlamaForCausalLM model, int steps = 3)
    {
        model.train();
        using var optimizer = new torch.optim.AdamW(model.parameters(), lr: 1e-2);
        for (var i = 0; i < steps; i++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            Logits(model).pow(2).mean().backward();
            optimizer.step();
        }
        model.eval();
    }

    [Fact]
    public void Lora_trains_only_the_adapters()
    {
        using var model = (LlamaForCausalLM)PretrainedArchitectures.Load(llama.Folder);
        var adapted = LoraAdapters.Inject(model, Paper);
        Assert.Equal(4, adapted.Count); // q_proj and v_proj in each of 2 layers
        Assert.Contains("model.layers.1.self_attn.v_proj", adapted);
        using var scope = torch.NewDisposeScope();
        model.train();
        Logits(model).pow(2).mean().backward();
        foreach (var (name, p) in model.named_parameters())
        {
            var isAdapter = name.Contains(".lora_");
            Assert.Equal(isAdapter, p.requires_grad);
            using var grad = p.grad;
            Assert.Equal(isAdapter, grad is not null);
        }
    }

    [Fact]
    public void Merged_and_unmerged_adapters_give_the_same_outputs()
    {
        using var model = (LlamaForCausalLM)PretrainedArchitectures.Load(llama.Folder);
        LoraAdapters.Inject(model, Paper);
        Train(model);
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var unmerged = Logits(model);
        Assert.True(PretrainedFixture.MaxDifference(llama["out.logits"], unmerged) > 1e-4, "training changed nothing");
        LoraAdapters.Merge(model);
        Assert.DoesNotContain(model.state_dict().Keys, k => k.Contains("lora_"));
        Assert.True(PretrainedFixture.MaxDifference(unmerged, Logits(model)) <= 1e-5);
    }

    [Fact]
    public void An_adapter_round_trips_in_peft_layout()
    {
        Tensor expected;
        using (var model = (LlamaForCausalLM)PretrainedArchitectures.Load(llama.Folder))
        {
            LoraAdapters.Inject(model, Paper);
            Train(model);
            using (torch.no_grad()) expected = Logits(model).DetachFromDisposeScope();
            LoraAdapters.Save(adapterFolder, model, Paper, baseModel: llama.Folder, taskType: "CAUSAL_LM");
        }
        var (tensors, _) = Safetensors.Load(Path.Combine(adapterFolder, LoraAdapters.WeightsFile));
        Assert.Equal(8, tensors.Count);
        Assert.Equal([2, 32], tensors["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"].shape);
        Assert.Equal([16, 2], tensors["base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"].shape); // 2 kv heads x 8
        foreach (var t in tensors.Values) t.Dispose();
        var settings = LoraAdapters.ReadSettings(adapterFolder);
        Assert.Equal((2, 16.0, 0.2), (settings.Rank, settings.Alpha, settings.Dropout));

        using var fresh = (LlamaForCausalLM)PretrainedArchitectures.Load(llama.Folder);
        LoraAdapters.Load(adapterFolder, fresh);
        fresh.eval();
        using var _ = torch.no_grad();
        using var actual = Logits(fresh);
        Assert.Equal(0, PretrainedFixture.MaxDifference(expected, actual));
        expected.Dispose();
    }

    [Fact]
    public void An_unknown_target_module_lists_the_layers_there_are()
    {
        using var model = (LlamaForCausalLM)PretrainedArchitectures.Load(llama.Folder);
        var error = Assert.Throws<TorchException>(() => LoraAdapters.Inject(model, Paper with { TargetModules = ["query"] }));
        Assert.Contains("q_proj", error.Message);
        Assert.Contains("gate_proj", error.Message);
    }

    [Fact]
    public void Last_n_layers_tuning_freezes_everything_else()
    {
        using var fixture = new PretrainedFixture("hubert-group-norm");
        using var model = (Wav2Vec2Model)PretrainedArchitectures.Load(fixture.Folder);
        model.FreezeAllButLastLayers(1);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.NotEmpty(trainable);
        Assert.All(trainable, name => Assert.StartsWith("encoder.layers.1.", name));
        model.FreezeAllButLastLayers(0);
        Assert.DoesNotContain(model.parameters(), p => p.requires_grad);
    }

    [Theory]
    [InlineData("hubert-group-norm")]
    [InlineData("wav2vec2-layer-norm")]
    [InlineData("wavlm")]
    [InlineData("beats")]
    [InlineData("beats-pre-norm")]
    public void Running_the_last_layers_from_a_cached_hidden_state_gives_the_last_hidden_state(string name)
    {
        using var fixture = new PretrainedFixture(name);
        using var model = (PretrainedSpeechModel)PretrainedArchitectures.Load(fixture.Folder);
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var full = model.forward(fixture["in.waveform"]);
        for (var k = 0; k <= model.LayerCount; k++)
        {
            // Padding one extra position must not change the real ones.
            var padded = torch.cat([full.HiddenStates[k], torch.zeros([full.HiddenStates[k].size(0), 1, model.HiddenSize])], 1);
            var padding = torch.cat([full.Padding, torch.ones([full.Padding.size(0), 1], torch.@bool)], 1);
            var tail = model.forward_from(k, padded, padding).narrow(1, 0, full.LastHiddenState.size(1));
            Assert.True(PretrainedFixture.MaxDifference(full.LastHiddenState, tail) < 1e-5, $"{name}: from hidden state {k}");
        }
    }

    public void Dispose()
    {
        llama.Dispose();
        if (Directory.Exists(adapterFolder)) Directory.Delete(adapterFolder, recursive: true);
    }
}
