using System.Diagnostics;

namespace EmotionLab.Models.Corpora.EmoSynth;

/// <summary>What a generation produced.</summary>
public sealed record EmoSynthSummary(int Dialogues, int Utterances, IReadOnlyDictionary<string, int> Emotions, IReadOnlyDictionary<string, int> Splits, TimeSpan Elapsed);

/// <summary>
/// EmoSynth, the built-in spoken corpus: plans multi-party dialogues (DialoguePlanner), speaks
/// them with espeak-ng in distinct voices with emotion-dependent prosody (EspeakRenderer), and
/// writes MELD's layout (MeldLayoutWriter). The same options give byte-identical CSVs and audio.
/// </summary>
public static class EmoSynthGenerator
{
    private const double Gap = 0.4; // seconds between turns in the "episode" timeline
    public const string SpeakingStage = "speaking EmoSynth";

    /// <param name="progress">told "speaking EmoSynth" with the clips spoken of all (from the worker threads)</param>
    public static async Task<EmoSynthSummary> GenerateAsync(string outputFolder, EmoSynthOptions options, CancellationToken cancellation = default,
        IProgress<ImportProgress>? progress = null)
    {
        var watch = Stopwatch.StartNew();
        var plan = DialoguePlanner.Plan(options);
        foreach (var split in new[] { "train", "dev", "test" }) Directory.CreateDirectory(Path.Combine(outputFolder, MeldLayoutWriter.MediaFolder(split)));

        var durations = new double[plan.Count];
        var spoken = 0;
        progress?.Report(new ImportProgress(SpeakingStage, 0, plan.Count, "clips"));
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = cancellation },
            async (i, token) =>
            {
                var u = plan[i];
                var wav = Path.Combine(outputFolder, MeldLayoutWriter.MediaFolder(u.Split), MeldLayoutWriter.MediaName(u.DialogueId, u.UtteranceId, ".wav"));
                durations[i] = await EspeakRenderer.RenderAsync(u, wav, token);
                progress?.Report(new ImportProgress(SpeakingStage, Interlocked.Increment(ref spoken), plan.Count, "clips"));
            });

        foreach (var split in new[] { "train", "dev", "test" })
        {
            var rows = new List<(PlannedUtterance, double, double, int, int)>();
            double clock = 0;
            int? dialogue = null;
            for (var i = 0; i < plan.Count; i++)
            {
                var u = plan[i];
                if (u.Split != split) continue;
                if (u.DialogueId != dialogue) (dialogue, clock) = (u.DialogueId, 5.0);
                rows.Add((u, clock, clock + durations[i], 1, 1 + u.DialogueId / 10));
                clock += durations[i] + Gap;
            }
            MeldLayoutWriter.WriteCsv(Path.Combine(outputFolder, MeldLayoutWriter.CsvName(split)), rows);
        }

        return new EmoSynthSummary(
            options.Dialogues, plan.Count,
            plan.GroupBy(u => u.Emotion).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count()),
            plan.GroupBy(u => u.Split).ToDictionary(g => g.Key, g => g.Count()),
            watch.Elapsed);
    }
}
