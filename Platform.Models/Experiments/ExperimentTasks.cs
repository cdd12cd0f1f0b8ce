namespace EmotionLab.Models.Experiments;

/// <summary>Task names of a spec: ERC classifies each utterance; EPC predicts the next utterance's emotion from the history.</summary>
public static class ExperimentTasks
{
    public const string Erc = "erc";
    public const string Epc = "epc";

    public static IReadOnlyList<string> All { get; } = [Erc, Epc];
}
