using EmotionLab.Models.Encoders;
using EmotionLab.Models.Features;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Wav2Vec2;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Features;

/// <summary>A frozen pretrained encoder as a feature extractor: what it extracts, its fingerprint, and the errors a slot's settings can meet.</summary>
public sealed class PretrainedFeaturesTests : IDisposable
{
    private readonly string artifacts = Path.Combine(Path.GetTempPath(), "elt-slot-" + Guid.NewGuid().ToString("N")[..8]);

    public PretrainedFeaturesTests()
    {
        TinyModelWriter.Write("hubert", Path.Combine(artifacts, "models", "hubert"), [], seed: 1);
        TinyModelWriter.Write("bert", Path.Combine(artifacts, "models", "bert"), ["We won the game"], seed: 2);
        TinyModelWriter.Write("beats", Path.Combine(artifacts, "models", "beats"), [], seed: 3);
    }

    [Fact]
    public void Speech_features_are_the_chosen_hidden_state_of_the_standardised_waveform()
    {
        using var extractor = (PretrainedSpeechFeatures)SlotFeatures.Audio(new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "hubert", Layer = 1 }, artifacts);
        var samples = Enumerable.Range(0, 16_000).Select(i => (float)(0.3 * Math.Sin(i * 0.05) + 0.1)).ToArray();
        var features = extractor.Extract(samples);
        Assert.Equal((49, 32), (features.Frames, features.Dimensions)); // 20 ms frames of one second

        using var model = (Wav2Vec2Model)PretrainedArchitectures.Load(Path.Combine(artifacts, "models", "hubert"));
        var (mean, std) = (samples.Average(), Math.Sqrt(samples.Select(s => (s - samples.Average()) * (s - samples.Average())).Average() + 1e-7));
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var expected = model.forward(torch.tensor(samples.Select(s => (float)((s - mean) / std)).ToArray(), [1, samples.Length])).HiddenStates[1].data<float>();
        Assert.Equal(expected.Length, features.Values.Length);
        Assert.True(expected.Zip(features.Values, (e, a) => Math.Abs(e - a)).Max() < 1e-4);
        Assert.Equal("hubert-l1", extractor.Name);
        Assert.Equal(2, extractor.LayerCount);
    }

    [Fact]
    public void Beats_features_are_its_patches_of_the_raw_waveform_and_short_clips_make_one_step()
    {
        using var extractor = (PretrainedSpeechFeatures)SlotFeatures.Audio(new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "beats" }, artifacts);
        var samples = Enumerable.Range(0, 16_000).Select(i => (float)(0.3 * Math.Sin(i * 0.05) + 0.1)).ToArray();
        var features = extractor.Extract(samples);
        Assert.Equal((6 * 8, 32), (features.Frames, features.Dimensions)); // 98 filterbank frames: 6 steps of 16, 8 frequency patches each

        using var model = (PretrainedSpeechModel)PretrainedArchitectures.Load(Path.Combine(artifacts, "models", "beats"));
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var expected = model.forward(torch.tensor(samples, [1, samples.Length])).LastHiddenState.data<float>(); // not standardised
        Assert.True(expected.Zip(features.Values, (e, a) => Math.Abs(e - a)).Max() < 1e-4);
        Assert.Equal((8, 32), (extractor.Extract(new float[1000]).Frames, features.Dimensions)); // zero-padded to one 16-frame step
    }

    [Fact]
    public void Text_features_follow_the_folders_tokenizer_with_its_special_tokens()
    {
        using var extractor = SlotFeatures.Text(new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "bert" }, artifacts)!;
        var features = extractor.Extract("We won the game");
        Assert.Equal((6, 32), (features.Frames, features.Dimensions)); // [CLS] we won the game [SEP]
        Assert.Equal("bert-l2", extractor.Name);
    }

    [Fact]
    public void The_fingerprint_changes_with_the_weights_and_the_layer_but_not_with_the_path()
    {
        string Fingerprint(string model, int layer)
        {
            using var e = (PretrainedSpeechFeatures)SlotFeatures.Audio(new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = model, Layer = layer }, artifacts);
            return e.Fingerprint;
        }
        var original = Fingerprint("hubert", -1);
        Directory.CreateDirectory(Path.Combine(artifacts, "models", "copy"));
        foreach (var file in Directory.GetFiles(Path.Combine(artifacts, "models", "hubert")))
            File.Copy(file, Path.Combine(artifacts, "models", "copy", Path.GetFileName(file)));
        Assert.Equal(original, Fingerprint("copy", -1));
        Assert.Equal(original, Fingerprint("hubert", 2));
        Assert.NotEqual(original, Fingerprint("hubert", 1));
        TinyModelWriter.Write("hubert", Path.Combine(artifacts, "models", "copy"), [], seed: 9);
        Assert.NotEqual(original, Fingerprint("copy", -1));
    }

    [Fact]
    public void A_slot_naming_a_missing_folder_a_wrong_modality_or_layer_gets_a_named_error()
    {
        var missing = Assert.Throws<ModelFolderException>(() => SlotFeatures.Audio(new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "wav2vec2-large" }, artifacts));
        Assert.Contains(Path.Combine(artifacts, "models", "wav2vec2-large"), missing.Message);
        Assert.Contains("the folder does not exist", missing.Message);
        var text = Assert.Throws<ModelFolderException>(() => SlotFeatures.Audio(new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "bert" }, artifacts));
        Assert.Contains("model_type 'bert' is not a speech encoder; an audio slot takes wav2vec2, hubert, wavlm, beats", text.Message);
        var layer = Assert.Throws<ModelFolderException>(() => SlotFeatures.Audio(new EncoderSlotConfig { Kind = EncoderSlotConfig.PretrainedKind, Model = "hubert", Layer = 7 }, artifacts));
        Assert.Contains("layer 7 does not exist: hubert has hidden states 0..2", layer.Message);
    }

    public void Dispose() => Directory.Delete(artifacts, recursive: true);
}
