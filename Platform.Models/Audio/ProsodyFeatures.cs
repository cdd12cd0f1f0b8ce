namespace EmotionLab.Models.Audio;

/// <summary>
/// Frame-level prosody for the joint-vector family's prosody enhancement, one entry per 10 ms
/// frame aligned with the log-mel frames: F0 in Hz (0 when unvoiced), voiced flag, voicing
/// probability, and energy in dB (10·log10 of the mean square over a 25 ms window, floor -100 dB).
/// </summary>
public sealed record ProsodyFeatures(float[] F0Hz, bool[] Voiced, float[] VoicingProbability, float[] EnergyDb)
{
    public const int Dimensions = 4;
    public int Frames => F0Hz.Length;

    /// <summary>(frames x 4): F0 Hz, voiced (0/1), voicing probability, energy dB.</summary>
    public FeatureMatrix ToMatrix()
    {
        var matrix = new FeatureMatrix(Frames, Dimensions);
        for (var i = 0; i < Frames; i++)
        {
            matrix[i, 0] = F0Hz[i];
            matrix[i, 1] = Voiced[i] ? 1 : 0;
            matrix[i, 2] = VoicingProbability[i];
            matrix[i, 3] = EnergyDb[i];
        }
        return matrix;
    }
}
