using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Beats;
using EmotionLab.Models.Pretrained.Bert;
using EmotionLab.Models.Pretrained.Llama;
using EmotionLab.Models.Pretrained.Wav2Vec2;
using EmotionLab.Models.Torch;
using Xunit.Abstractions;

namespace EmotionLab.Models.Tests.Pretrained;

/// <summary>
/// Our architectures, loaded from HF-layout folders, against independent implementations:
/// torchaudio's wav2vec 2.0 / HuBERT (and its parts under a WavLM reference), and PyTorch
/// references of BEATs (over torchaudio's Kaldi filterbank), LLaMA, Qwen2, BERT and RoBERTa
/// (tools/make_pretrained_fixtures.py). Outputs and gradients agree to 1e-5 (absolute, or relative
/// to the tensor's largest value when that is above 1).
/// </summary>
public sealed class ArchitectureParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    // WavLM's reference is torchaudio's wav2vec 2.0 parts with HF's gated relative position bias
    // written in tools/make_pretrained_fixtures.py (torchaudio 0.13 has no WavLM).
    [Theory]
    [InlineData("hubert-group-norm")]
    [InlineData("wav2vec2-layer-norm")]
    [InlineData("wavlm")]
    public void Speech_encoders_match_torchaudio(string name)
    {
        using var fixture = new PretrainedFixture(name);
        using var model = (Wav2Vec2Model)PretrainedArchitectures.Load(fixture.Folder);
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var result = model.forward(fixture["in.waveform"]);
        Check("last_hidden_state", fixture["out.last_hidden_state"], result.LastHiddenState);
        foreach (var key in fixture.Keys("out.layer."))
        {
            var layer = int.Parse(key["out.layer.".Length..]);
            Check(key, fixture[key], result.HiddenStates[layer + 1]);
        }
    }

    // BEATs' reference follows microsoft/unilm's code (fairseq layout, its own attention arithmetic)
    // with torchaudio's kaldi.fbank; the folder was written by tools/convert_beats_checkpoint.py.
    [Theory]
    [InlineData("beats")]
    [InlineData("beats-pre-norm")]
    public void Beats_matches_the_reference_with_gradients(string name)
    {
        using var fixture = new PretrainedFixture(name);
        using var model = (BeatsModel)PretrainedArchitectures.Load(fixture.Folder);
        using var scope = torch.NewDisposeScope();
        var result = model.forward(fixture["in.waveform"]);
        for (var i = 0; i < result.HiddenStates.Count; i++) Check($"hidden state {i}", fixture[$"out.hidden.{i}"], result.HiddenStates[i]);
        (result.LastHiddenState * fixture["gout.last_hidden_state"]).sum().backward();
        CheckGradients(fixture, model);
    }

    [Theory]
    [InlineData("beats")]
    [InlineData("beats-pre-norm")]
    public void Beats_rows_of_a_padded_batch_match_each_row_alone(string name)
    {
        using var fixture = new PretrainedFixture(name);
        using var model = (BeatsModel)PretrainedArchitectures.Load(fixture.Folder);
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var lengths = fixture["in.lengths"].data<long>();
        var result = model.forward(fixture["in.batch"], lengths);
        var shortLength = fixture["out.short.hidden.0"].size(1);                  // 2 time patches x 8 frequency patches
        Assert.Equal(new[] { false, true }, result.Padding.select(1, shortLength).data<bool>());
        Assert.Equal(shortLength, result.Padding.select(0, 1).logical_not().sum().item<long>());
        for (var i = 0; i < result.HiddenStates.Count; i++)
        {
            Check($"row 0, hidden state {i}", fixture[$"out.hidden.{i}"], result.HiddenStates[i].narrow(0, 0, 1));
            Check($"row 1, hidden state {i}", fixture[$"out.short.hidden.{i}"], result.HiddenStates[i].narrow(0, 1, 1).narrow(1, 0, shortLength));
        }
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("qwen2")]
    public void Language_models_match_the_reference_with_gradients(string name)
    {
        using var fixture = new PretrainedFixture(name);
        using var model = (LlamaForCausalLM)PretrainedArchitectures.Load(fixture.Folder);
        using var scope = torch.NewDisposeScope();
        var result = model.forward(model.Embed(fixture["in.input_ids"]), fixture["in.attention_mask"]);
        var logits = model.Logits(result.LastHiddenState);
        Check("logits", fixture["out.logits"], logits);
        for (var i = 0; i < result.HiddenStates.Count; i++) Check($"hidden state {i}", fixture[$"out.hidden.{i}"], result.HiddenStates[i]);
        ((logits * fixture["gout.logits"]).sum() + (result.LastHiddenState * fixture["gout.last_hidden_state"]).sum()).backward();
        CheckGradients(fixture, model);
    }

    [Theory]
    [InlineData("bert")]
    [InlineData("roberta")]
    public void Text_encoders_match_the_reference_with_gradients(string name)
    {
        using var fixture = new PretrainedFixture(name);
        using var model = (BertModel)PretrainedArchitectures.Load(fixture.Folder);
        using var scope = torch.NewDisposeScope();
        var mask = fixture["in.attention_mask"];
        var result = model.forward(fixture["in.input_ids"], mask);
        for (var i = 0; i < result.HiddenStates.Count; i++)
        {
            // Padded positions are not compared: BERT's output there is unused and HF's differs by mask constant.
            var real = mask.unsqueeze(2).to(torch.float32);
            Check($"hidden state {i}", fixture[$"out.hidden.{i}"] * real, result.HiddenStates[i] * real);
        }
        (result.LastHiddenState * fixture["gout.last_hidden_state"] * mask.unsqueeze(2).to(torch.float32)).sum().backward();
        CheckGradients(fixture, model);
    }

    [Theory]
    [InlineData("hubert-group-norm", "encoder.layers.1.feed_forward.output_dense.weight")]
    [InlineData("wav2vec2-layer-norm", "feature_extractor.conv_layers.2.conv.weight")]
    [InlineData("wavlm", "encoder.layers.1.attention.gru_rel_pos_linear.weight")]
    [InlineData("wavlm", "encoder.layers.0.attention.rel_attn_embed.weight")]
    [InlineData("beats", "encoder.layers.1.self_attn.grep_linear.weight")]
    [InlineData("beats", "encoder.layers.0.self_attn.relative_attention_bias.weight")]
    [InlineData("beats", "patch_embedding.weight")]
    [InlineData("beats-pre-norm", "encoder.layers.1.fc1.weight")]
    [InlineData("llama", "model.layers.1.self_attn.o_proj.weight")]
    [InlineData("qwen2", "model.layers.0.self_attn.k_proj.bias")]
    [InlineData("bert", "encoder.layer.1.output.dense.weight")]
    [InlineData("roberta", "roberta.encoder.layer.0.attention.self.value.weight")]
    public void A_changed_weight_fails_each_parity_check(string name, string tensor)
    {
        using var fixture = new PretrainedFixture(name);
        var folder = fixture.CopyFolder();
        try
        {
            var path = Path.Combine(folder, ModelFolder.WeightsFile);
            var (weights, _) = Safetensors.Load(path);
            // One output channel only: a change shared by every channel would be undone by the LayerNorms.
            using (torch.no_grad())
            using (var channel = weights[tensor].select(0, 0)) channel.add_(1e-2);
            Safetensors.Save(path, weights);
            foreach (var t in weights.Values) t.Dispose();

            using var model = PretrainedArchitectures.Load(folder);
            using var scope = torch.NewDisposeScope();
            using var _ = torch.no_grad();
            var (expected, actual) = model switch
            {
                PretrainedSpeechModel speech => (fixture["out.last_hidden_state"], speech.forward(fixture["in.waveform"]).LastHiddenState),
                LlamaForCausalLM llm => (fixture["out.logits"], llm.Logits(llm.forward(llm.Embed(fixture["in.input_ids"]), fixture["in.attention_mask"]).LastHiddenState)),
                BertModel text => (fixture["out.last_hidden_state"] * fixture["in.attention_mask"].unsqueeze(2).to(torch.float32),
                    text.forward(fixture["in.input_ids"], fixture["in.attention_mask"]).LastHiddenState * fixture["in.attention_mask"].unsqueeze(2).to(torch.float32)),
                _ => throw new InvalidOperationException(name),
            };
            Assert.True(PretrainedFixture.MaxDifference(expected, actual) > Tolerance, $"{tensor} + 1e-2 still matched the oracle");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private void CheckGradients(PretrainedFixture fixture, PretrainedModel model)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var keys = fixture.Keys("grad.").ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var name = key["grad.".Length..];
            Assert.True(parameters.TryGetValue(name, out var p), $"no parameter {name}");
            using var grad = p!.grad ?? throw new Xunit.Sdk.XunitException($"{name} got no gradient");
            Check($"grad {name}", fixture[key], grad);
        }
    }

    private void Check(string what, Tensor expected, Tensor actual)
    {
        var difference = PretrainedFixture.MaxDifference(expected, actual);
        output.WriteLine($"{what}: max |diff| (scaled) {difference:E2}");
        Assert.True(difference <= Tolerance, $"{what}: max |diff| {difference:E3} > {Tolerance:E0}");
    }
}
