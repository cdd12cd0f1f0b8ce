using EmotionLab.Models.Encoders;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// The audio side: log-mel frames through the audio slot (the papers' wavLM) and a projection to
/// the model width (the feature extraction module; the EPC paper maps the audio to the model width)
/// give h_a; prosody enhancement, when on, gives F_a = h_a + LN(Enc(h_a)), else F_a = h_a.
/// </summary>
public sealed class AudioFeatures : Module
{
    private readonly IAudioEncoderSlot slot;
    private readonly Linear projection;
    private readonly ProsodyEnhancement? enhancement;

    public AudioFeatures(JointVectorConfig config, IAudioEncoderSlot slot)
    {
        this.slot = slot;
        register_module("slot", slot as Module ?? throw new ArgumentException("an audio slot must be a module, so its weights train and save with the family", nameof(slot)));
        projection = register_module("projection", new Linear(slot.OutputSize, config.HiddenSize));
        if (config.UseProsodyEnhancement) enhancement = register_module("prosody_enhancement", new ProsodyEnhancement(config.HiddenSize, config.Heads, config.Dropout));
    }

    public bool UsesProsody => enhancement is not null;

    /// <summary>F_a (B, P, D) and its padding (B, P).</summary>
    public (Tensor Values, Tensor Padding) forward(Tensor frames, Tensor framePadding, Tensor? prosody, Tensor? prosodyPadding)
    {
        var encoded = slot.Encode(frames, framePadding);
        var h = projection.forward(encoded.Values);
        if (enhancement is null) return (h, encoded.Padding);
        if (prosody is null || prosodyPadding is null) throw new ArgumentException("prosody enhancement is on but the batch has no prosody");
        return (enhancement.forward(h, encoded.Padding, prosody, prosodyPadding), encoded.Padding);
    }
}
