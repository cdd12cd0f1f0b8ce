namespace EmotionLab.Models.Corpora;

/// <summary>
/// The 6-class ERC split of IEMOCAP: Session 5 is test; Sessions 1-4 are training, and validation
/// is taken from them only: every 10th dialogue (the 10th, 20th, ...) of the Sessions 1-4 dialogue
/// names sorted ordinally. Deterministic and independent of file-system order; on the full corpus
/// it puts 12 of the 120 training dialogues into validation, spread over all four sessions.
/// Leave-one-session-out folds (<see cref="Corpus.HoldingOutFold"/>) use the same rule with
/// another session held out.
/// </summary>
public static class IemocapErcSplit
{
    public const string Train = "train";
    public const string Valid = "valid";
    public const string Test = "test";
    public const int TestSession = 5;
    public const int ValidationEvery = 10;

    /// <summary>Split of every dialogue, given (dialogue name, session) pairs; <paramref name="testSession"/> is the test split.</summary>
    public static IReadOnlyDictionary<string, string> Assign(IEnumerable<(string Dialogue, int Session)> dialogues, int testSession = TestSession)
    {
        var all = dialogues.ToArray();
        var result = all.Where(d => d.Session == testSession).ToDictionary(d => d.Dialogue, _ => Test, StringComparer.Ordinal);
        var training = all.Where(d => d.Session != testSession).Select(d => d.Dialogue).Order(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < training.Length; i++)
            result[training[i]] = (i + 1) % ValidationEvery == 0 ? Valid : Train;
        return result;
    }
}
