namespace EmotionLab.Models.Audio;

/// <summary>
/// An audio file that cannot be decoded: the message names the file and what is wrong with it
/// (not RIFF/WAVE, truncated, an unsupported format code or sample width), so an import can
/// report the utterance and go on.
/// </summary>
public sealed class AudioFormatException : Exception
{
    public string Path { get; }

    public AudioFormatException(string path, string problem)
        : base($"{path}: {problem}")
    {
        Path = path;
    }
}
