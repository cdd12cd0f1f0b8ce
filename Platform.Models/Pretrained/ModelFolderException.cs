namespace EmotionLab.Models.Pretrained;

/// <summary>A model folder that cannot be used: the message names the folder and every problem found, with what to do.</summary>
public sealed class ModelFolderException(string folder, IReadOnlyList<string> problems)
    : Exception($"model folder {folder}: {string.Join("; ", problems)}")
{
    public string Folder { get; } = folder;

    public IReadOnlyList<string> Problems { get; } = problems;
}
