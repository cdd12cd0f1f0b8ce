using System.Globalization;
using EmotionLab.Models.Audio;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Features;

/// <summary>
/// A frozen pretrained speech encoder (wav2vec 2.0, HuBERT, WavLM, BEATs) as a cacheable
/// extractor: the hidden states of a chosen layer (one per 20 ms frame; BEATs: one per
/// 16-frame x 16-mel patch). Each utterance runs alone (no padding, so the group-norm models see
/// exactly what they were trained on). The fingerprint is the folder's, the
/// layer and the normalisation, so a grid's runs share one extraction and a changed folder
/// extracts again. The model loads on the first extraction: a cached corpus never loads it.
/// </summary>
public sealed class PretrainedSpeechFeatures : IAudioFeatureExtractor, IDisposable
{
    private readonly ModelFolder folder;
    private readonly int layer;
    private readonly bool normalize;
    private readonly int minimumSamples;
    private readonly Lazy<PretrainedSpeechModel> model;

    /// <param name="layer">hidden state index: 0 the feature projection's output, N the last layer; -1 the last</param>
    public PretrainedSpeechFeatures(ModelFolder folder, int layer = -1)
    {
        this.folder = folder;
        using var shape = PretrainedArchitectures.ShapeFor(folder, PretrainedModality.Speech, "an audio slot");
        (Dimensions, LayerCount, this.layer) = (shape.HiddenSize, shape.LayerCount, shape.HiddenStateIndex(layer, folder.Path));
        var speech = (PretrainedSpeechModel)shape;
        (normalize, minimumSamples) = (ReadDoNormalize(folder, speech.NormalizesByDefault), speech.MinimumSamples);
        Fingerprint = string.Create(CultureInfo.InvariantCulture, $"pretrained-speech v1 folder={folder.Fingerprint()} layer={this.layer} normalize={normalize} min={minimumSamples}");
        model = new Lazy<PretrainedSpeechModel>(() => (PretrainedSpeechModel)PretrainedArchitectures.Load(folder.Path), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public ModelFolder Folder => folder;

    public string Name => $"{folder.Config.ModelType}-l{layer}";

    public string Fingerprint { get; }

    public int Dimensions { get; }

    public int LayerCount { get; }

    public FeatureMatrix Extract(ReadOnlySpan<float> samples16k)
    {
        // Shorter clips are zero-padded to one output position.
        var samples = new float[Math.Max(samples16k.Length, minimumSamples)];
        samples16k.CopyTo(samples);
        if (normalize) Standardise(samples, samples16k.Length);
        var encoder = model.Value;
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var hidden = encoder.forward(torch.tensor(samples, [1, samples.Length])).HiddenStates[layer]; // (1, T, D)
        return new FeatureMatrix((int)hidden.size(1), Dimensions, hidden.contiguous().data<float>());
    }

    // HF's zero_mean_unit_var_norm over the real samples: (x - mean) / sqrt(var + 1e-7).
    private static void Standardise(float[] samples, int length)
    {
        if (length == 0) return;
        double sum = 0, square = 0;
        for (var i = 0; i < length; i++) (sum, square) = (sum + samples[i], square + (double)samples[i] * samples[i]);
        var mean = sum / length;
        var scale = 1 / Math.Sqrt(Math.Max(0, square / length - mean * mean) + 1e-7);
        for (var i = 0; i < length; i++) samples[i] = (float)((samples[i] - mean) * scale);
    }

    // preprocessor_config.json's do_normalize; without one, the architecture's default.
    private static bool ReadDoNormalize(ModelFolder folder, bool fallback)
    {
        var path = folder.File("preprocessor_config.json");
        return File.Exists(path) ? PretrainedConfig.Read(path).Bool("do_normalize", fallback) : fallback;
    }

    public void Dispose()
    {
        if (model.IsValueCreated) model.Value.Dispose();
    }
}
