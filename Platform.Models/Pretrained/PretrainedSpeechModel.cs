using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained;

/// <summary>A pretrained speech encoder: 16 kHz waveforms in, a sequence of hidden states out, every layer's kept.</summary>
public abstract class PretrainedSpeechModel : PretrainedModel
{
    /// <summary>
    /// Waveforms (B, L) at 16 kHz in [-1, 1] and optionally each row's real sample count (B) when
    /// rows are padded; positions made only of padding are marked in the output's padding mask.
    /// </summary>
    public abstract EncoderOutput forward(Tensor waveform, long[]? lengths = null);

    /// <summary>
    /// The last hidden state (B, T, D) from hidden state <paramref name="hiddenState"/> (B, T, D)
    /// onwards: the layers after it run, so a family that tunes the last N layers reads hidden
    /// state L - N from the feature cache and trains only those. <paramref name="padding"/> (B, T)
    /// is true at padded positions.
    /// </summary>
    public abstract Tensor forward_from(int hiddenState, Tensor hidden, Tensor? padding);

    /// <summary>The shortest clip that makes one output position; shorter clips are zero-padded to it.</summary>
    public abstract int MinimumSamples { get; }

    /// <summary>Whether waveforms are standardised per utterance when the folder's preprocessor_config.json does not say (its do_normalize).</summary>
    public abstract bool NormalizesByDefault { get; }
}
