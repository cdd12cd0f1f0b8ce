namespace EmotionLab.Models.Audio;

/// <summary>Sample encodings <see cref="WavWriter"/> can write.</summary>
public enum WavSampleFormat
{
    Pcm16,
    Pcm24,
    Pcm32,
    Float32,
}
