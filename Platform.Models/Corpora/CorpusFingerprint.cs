using System.Security.Cryptography;
using System.Text;

namespace EmotionLab.Models.Corpora;

/// <summary>
/// A hash of what a corpus holds: every utterance's key, split, fold, label, speaker and text, and
/// its audio file's path, size and modification time. Runs record it so a result names its exact
/// data. (Audio bytes are not read: a re-extracted wav gets a new modification time.)
/// </summary>
public static class CorpusFingerprint
{
    public static string Compute(Corpus corpus) => Compute(corpus, withSplits: true);

    /// <summary>
    /// The same without splits and folds: what features are computed from. Feature caches are keyed
    /// by it, so changed inputs are re-extracted while the folds of a leave-one-fold-out grid, which
    /// only re-split the corpus, share one cache.
    /// </summary>
    public static string Content(Corpus corpus) => Compute(corpus, withSplits: false);

    private static string Compute(Corpus corpus, bool withSplits)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string? value)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(value ?? "\u0000"));
            hash.AppendData([0x1F]);
        }
        Add(corpus.Name);
        foreach (var u in corpus.Utterances)
        {
            Add(u.Key);
            if (withSplits) { Add(u.Split); Add(u.Fold?.ToString()); }
            Add(u.RawLabel); Add(u.RawSentiment); Add(u.Speaker); Add(u.Text);
            Add(u.AudioOk ? u.AudioPath : "unusable");
            if (u.AudioOk && u.AudioPath is { } path && File.Exists(path))
            {
                var info = new FileInfo(path);
                Add(info.Length.ToString());
                Add(info.LastWriteTimeUtc.Ticks.ToString());
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
