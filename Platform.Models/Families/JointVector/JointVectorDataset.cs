using EmotionLab.Models.Audio;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Features;
using EmotionLab.Models.Knowledge;
using EmotionLab.Models.Text;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// A corpus prepared for the joint-vector family, per split (train, validation = dev or valid, test).
/// <list type="bullet">
/// <item>ERC: every utterance whose label the set keeps, with the ContextWindow - 1 turns before it;
/// the utterance is the focus turn, its audio is heard.</item>
/// <item>EPC: the <see cref="EpcExampleBuilder"/>'s examples (every next turn, ContextWindow turns
/// of history, the next speaker not given); the item's key is the target's. The text is the
/// history only, and the audio heard is the last context turn's: the target's own text and
/// audio are never part of the item.</item>
/// </list>
/// The text is the turns as one sequence, each turn's speaker token (<see cref="SpeakerTokens"/>)
/// then its words, ids from the train-split vocabulary, the oldest tokens cut beyond the text
/// slot's MaxLength, and KWRT's scores over the same tokens. Audio: log-mel frames standardised
/// with the train split's mean and deviation (one scalar pair, as AST does), cut to the audio
/// slot's MaxLength; the same frames as ViT patches; prosody frames standardised (log F0 over voiced
/// frames, energy) with train statistics and averaged over ProsodyFrameStride frames. Items whose
/// heard turn has no usable audio are skipped for audio modalities and listed in <see cref="Skipped"/>.
/// Only plain data is kept: <see cref="Batch"/> builds each batch's tensors in the caller's dispose scope.
/// </summary>
public sealed class JointVectorDataset : IClassificationData<JointVectorBatch>
{
    private readonly Dictionary<DataSplit, IReadOnlyList<JointVectorItem>> splits;
    private readonly JointVectorConfig config;
    private readonly FeatureCache? logMel, prosody, slotFrames;
    private readonly bool usesText, usesAudio, usesProsody, usesPatches;
    private readonly Standardisation? melStats, slotStats;
    private readonly ProsodyStandardisation? prosodyStats;

    private JointVectorDataset(LabelSet labelSet, string task, string modalities, JointVectorConfig config, Vocabulary? vocabulary,
        FeatureCache? logMel, FeatureCache? prosody, FeatureCache? slotFrames, Dictionary<DataSplit, IReadOnlyList<JointVectorItem>> splits,
        IReadOnlyList<(string Key, string Reason)> skipped, int droppedByLabel, bool relationsUsed)
    {
        (LabelSet, Task, Modalities, this.config, Vocabulary, this.logMel, this.prosody, this.slotFrames, this.splits, Skipped, DroppedByLabel, RelationsUsed) =
            (labelSet, task, modalities, config, vocabulary, logMel, prosody, slotFrames, splits, skipped, droppedByLabel, relationsUsed);
        usesText = Experiments.Modalities.UsesText(modalities);
        usesAudio = Experiments.Modalities.UsesAudio(modalities);
        usesProsody = usesAudio && config.UseProsodyEnhancement;
        // Every second step but "w/o TMF" reads the mel-spectrogram when there is audio (see TwoStepFusion).
        usesPatches = usesAudio && config.UseTmf;
        if (usesAudio) melStats = Standardisation.Of(logMel!, TrainAudioKeys());
        if (usesAudio && slotFrames is not null) slotStats = Standardisation.Of(slotFrames, TrainAudioKeys());
        if (usesProsody) prosodyStats = ProsodyStandardisation.Of(prosody!, TrainAudioKeys());
    }

    public LabelSet LabelSet { get; }
    public IReadOnlyList<string> Labels => LabelSet.Labels;
    public string Task { get; }
    public string Modalities { get; }

    /// <summary>The train-split vocabulary with speaker tokens (text modalities; null for audio only).</summary>
    public Vocabulary? Vocabulary { get; }

    /// <summary>Items the modalities could not use (no usable audio for the heard turn), with the reason.</summary>
    public IReadOnlyList<(string Key, string Reason)> Skipped { get; }

    /// <summary>Utterances (ERC) or targets (EPC) left out because the label set drops their label.</summary>
    public int DroppedByLabel { get; }

    /// <summary>Whether KWRT tagged knowledge relations (false: recurrence only, or KWRT unused).</summary>
    public bool RelationsUsed { get; }

    public int Count(DataSplit split) => splits[split].Count;

    public IReadOnlyList<string> Keys(DataSplit split) => splits[split].Select(i => i.Key).ToArray();

    /// <summary>The items of a split, in item order.</summary>
    public IReadOnlyList<JointVectorItem> Items(DataSplit split) => splits[split];

    /// <summary>The model for a config and this data (vocabulary, mel bins, classes, modalities, the audio slot's frame width).</summary>
    public JointVectorModel CreateModel(JointVectorConfig modelConfig) =>
        new(modelConfig, Modalities, Vocabulary?.Count ?? 0, logMel?.Dimensions ?? JointVectorConfig.MelBins, Labels.Count, slotFrames?.Dimensions);

    /// <param name="logMel">log-mel frames of the corpus (FeatureCache over LogMelFeatures); audio modalities</param>
    /// <param name="prosody">prosody frames of the corpus (FeatureCache over <see cref="ProsodyFrames"/>); audio modalities with prosody enhancement</param>
    /// <param name="relations">ConceptNet relations for KWRT; null: recurrence only</param>
    /// <param name="slotFrames">a pretrained audio slot's frames (a frozen speech encoder's hidden states); null: the slot reads the log-mel frames</param>
    public static JointVectorDataset Build(Corpus corpus, LabelSet labelSet, string task, string modalities, JointVectorConfig config,
        FeatureCache? logMel, FeatureCache? prosody, IWordRelations? relations, FeatureCache? slotFrames = null)
    {
        var usesText = Experiments.Modalities.UsesText(modalities);
        var usesAudio = Experiments.Modalities.UsesAudio(modalities);
        if (usesAudio && logMel is null) throw new ArgumentException("audio modalities need the corpus's log-mel feature cache", nameof(logMel));
        if (usesAudio && config.UseProsodyEnhancement && prosody is null) throw new ArgumentException("prosody enhancement needs the corpus's prosody feature cache", nameof(prosody));
        if (logMel is not null && logMel.Dimensions % config.PatchSize != 0)
            throw new ArgumentException($"{logMel.Dimensions} mel bins do not split into patches of {config.PatchSize}", nameof(config));

        var splitNames = LabelledUtterances.SplitNames(corpus);
        var (examples, droppedByLabel) = task == ExperimentTasks.Epc ? EpcExamples(corpus, labelSet, config) : ErcExamples(corpus, labelSet, config);

        var speakerTokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dialogue in corpus.Dialogues)
        {
            var tokens = SpeakerTokens.ForDialogue(dialogue.Utterances.Select(u => u.Speaker).ToArray());
            for (var i = 0; i < tokens.Length; i++) speakerTokens[dialogue.Utterances[i].Key] = tokens[i];
        }
        var vocabulary = usesText ? Vocabulary.Build(corpus.Utterances.Where(u => u.Split == "train").Select(u => u.Text)) : null;
        var relationsUsed = usesText && config.UseKwrt && relations is not null;
        var tagger = usesText && config.UseKwrt ? new KwrtTagger(relations, config.KwrtRelationsPerWord) : null;
        var missingReasons = logMel?.Missing.ToDictionary(m => m.Key, m => m.Reason) ?? [];

        var skipped = new List<(string, string)>();
        var splits = new Dictionary<DataSplit, IReadOnlyList<JointVectorItem>>();
        foreach (var (split, name) in splitNames)
        {
            var items = new List<JointVectorItem>();
            foreach (var (_, key, label, turns) in examples.Where(e => e.Split == name))
            {
                var heard = turns[^1].Key;
                if (usesAudio && !logMel!.Contains(heard))
                {
                    skipped.Add((key, $"the heard turn {heard} has no log-mel features: {missingReasons.GetValueOrDefault(heard, "not in the cache")}"));
                    continue;
                }
                if (usesAudio && slotFrames is not null && !slotFrames.Contains(heard))
                {
                    skipped.Add((key, $"the heard turn {heard} has no features of the pretrained audio encoder: {slotFrames.Missing.FirstOrDefault(m => m.Key == heard)?.Reason ?? "not in the cache"}"));
                    continue;
                }
                if (usesAudio && config.UseProsodyEnhancement && !prosody!.Contains(heard))
                {
                    skipped.Add((key, $"the heard turn {heard} has no prosody features"));
                    continue;
                }
                items.Add(Item(key, label, turns, usesAudio ? heard : null, speakerTokens, vocabulary, tagger, config.Text.MaxLength));
            }
            if (items.Count == 0)
                throw new ArgumentException($"corpus {corpus.Name} has no usable '{name}' {task} items for label set {labelSet.Name} and modalities {modalities} " +
                                            $"(splits present: {string.Join(", ", corpus.Splits)})");
            splits[split] = items;
        }
        return new JointVectorDataset(labelSet, task, modalities, config, vocabulary, logMel, prosody, slotFrames, splits, skipped, droppedByLabel, relationsUsed);
    }

    private static (List<(string Split, string Key, int Label, IReadOnlyList<Utterance> Turns)>, int) ErcExamples(Corpus corpus, LabelSet labelSet, JointVectorConfig config)
    {
        var examples = new List<(string, string, int, IReadOnlyList<Utterance>)>();
        var dropped = 0;
        foreach (var dialogue in corpus.Dialogues)
            for (var i = 0; i < dialogue.Utterances.Count; i++)
            {
                var u = dialogue.Utterances[i];
                var label = labelSet.IndexOf(u);
                if (label < 0) { dropped++; continue; }
                examples.Add((u.Split, u.Key, label, ConversationContext.EndingAt(dialogue, i, config.ContextWindow)));
            }
        return (examples, dropped);
    }

    // The next turn's emotion from the turns before it; the next speaker is not given (the paper predicts the pair's emotion from the history).
    private static (List<(string Split, string Key, int Label, IReadOnlyList<Utterance> Turns)>, int) EpcExamples(Corpus corpus, LabelSet labelSet, JointVectorConfig config)
    {
        var set = new EpcExampleBuilder(labelSet, EpcTargetMode.EveryNext, config.ContextWindow).Build(corpus.Dialogues);
        var dropped = corpus.Dialogues.Sum(d => d.Utterances.Skip(1).Count(u => labelSet.IndexOf(u) < 0));
        return (set.Examples.Select(e => (e.Target.Split, e.Target.Key, e.LabelIndex, e.Context)).ToList(), dropped);
    }

    private static JointVectorItem Item(string key, int label, IReadOnlyList<Utterance> turns, string? audioKey, Dictionary<string, string> speakerTokens,
        Vocabulary? vocabulary, KwrtTagger? tagger, int maxTokens)
    {
        var turnKeys = turns.Select(t => t.Key).ToArray();
        if (vocabulary is null) return new JointVectorItem(key, label, turnKeys, audioKey, [], [], [], null);
        var words = new List<string>();
        var focus = new List<bool>();
        for (var i = 0; i < turns.Count; i++)
        {
            var turnWords = WordTokenizer.Tokenize(turns[i].Text).Prepend(speakerTokens[turns[i].Key]).ToArray();
            words.AddRange(turnWords);
            focus.AddRange(Enumerable.Repeat(i == turns.Count - 1, turnWords.Length));
        }
        var cut = Math.Max(0, words.Count - maxTokens); // the oldest tokens go first
        var kept = words.Skip(cut).ToArray();
        return new JointVectorItem(key, label, turnKeys, audioKey, kept, kept.Select(vocabulary.Id).ToArray(), focus.Skip(cut).ToArray(), tagger?.Tag(kept).Scores);
    }

    private IEnumerable<string> TrainAudioKeys() => splits[DataSplit.Train].Select(i => i.AudioKey!).Distinct(StringComparer.Ordinal);

    public (JointVectorBatch Inputs, Tensor Targets) Batch(DataSplit split, Tensor indexes)
    {
        var all = splits[split];
        var items = indexes.data<long>().Select(i => all[checked((int)i)]).ToArray();
        var targets = torch.tensor(items.Select(i => (long)i.Label).ToArray());
        Tensor? tokens = null, focus = null, scores = null, frames = null, framePadding = null, contour = null, contourPadding = null, patches = null, patchPadding = null;
        if (usesText)
        {
            var width = items.Max(i => i.Tokens.Length);
            tokens = PaddedBatch.Tokens(items.Select(i => i.Tokens).ToArray(), width, Vocabulary!.UnknownId);
            focus = Padded(items.Select(i => i.Focus.Select(f => f ? 1f : 0f).ToArray()).ToArray(), width);
            if (config.UseKwrt) scores = Padded(items.Select(i => i.KwrtScores!).ToArray(), width);
        }
        if (usesAudio)
        {
            var mels = items.Select(i => melStats!.Apply(Cut(logMel!.Get(i.AudioKey!), config.Audio.MaxLength))).ToArray();
            var slotInput = slotFrames is null ? mels : items.Select(i => slotStats!.Apply(Cut(slotFrames.Get(i.AudioKey!), config.Audio.MaxLength))).ToArray();
            (frames, framePadding) = PaddedBatch.Frames(slotInput, config.Audio.MaxLength);
            if (usesPatches) (patches, patchPadding) = Patches(mels);
            if (usesProsody)
            {
                var steps = items.Select(i => prosodyStats!.Apply(Cut(prosody!.Get(i.AudioKey!), config.Audio.MaxLength), config.ProsodyFrameStride)).ToArray();
                (contour, contourPadding) = PaddedBatch.Frames(steps, int.MaxValue);
            }
        }
        return (new JointVectorBatch(tokens, focus, scores, frames, framePadding, contour, contourPadding, patches, patchPadding), targets);
    }

    private (Tensor Patches, Tensor Padding) Patches(IReadOnlyList<FeatureMatrix> mels)
    {
        var perItem = mels.Select(m => MelPatches.ToPatches(m, config.PatchSize, padValue: melStats!.Silence)).ToArray();
        var width = perItem.Max(p => p.size(0));
        var padded = perItem.Select(p => p.size(0) == width ? p : torch.nn.functional.pad(p, [0, 0, 0, width - p.size(0)])).ToArray();
        var padding = new bool[perItem.Length * width];
        for (var i = 0; i < perItem.Length; i++)
            for (var j = perItem[i].size(0); j < width; j++) padding[i * width + j] = true;
        return (torch.stack(padded), torch.tensor(padding, [perItem.Length, width]));
    }

    private static Tensor Padded(IReadOnlyList<float[]> rows, int width)
    {
        var values = new float[rows.Count * width];
        for (var i = 0; i < rows.Count; i++) Array.Copy(rows[i], 0, values, i * width, Math.Min(width, rows[i].Length));
        return torch.tensor(values, [rows.Count, width]);
    }

    private static FeatureMatrix Cut(FeatureMatrix m, int maxFrames) =>
        m.Frames <= maxFrames ? m : new FeatureMatrix(maxFrames, m.Dimensions, m.Values.AsSpan(0, maxFrames * m.Dimensions).ToArray());

    /// <summary>One mean and deviation for every value (log-mel, or a pretrained encoder's hidden states) of the train split's heard turns.</summary>
    private sealed record Standardisation(float Mean, float Std)
    {
        /// <summary>Silence (the log-mel floor) after standardising: what padded patch rows read.</summary>
        public float Silence => (MelPatches.SilencePad - Mean) / Std;

        public static Standardisation Of(FeatureCache cache, IEnumerable<string> keys)
        {
            double sum = 0, squares = 0;
            long n = 0;
            foreach (var key in keys)
                foreach (var v in cache.Get(key).Values)
                {
                    sum += v;
                    squares += (double)v * v;
                    n++;
                }
            var mean = n == 0 ? 0 : sum / n;
            var std = n == 0 ? 1 : Math.Sqrt(Math.Max(squares / n - mean * mean, 0));
            return new Standardisation((float)mean, (float)Math.Max(std, 1e-3));
        }

        public FeatureMatrix Apply(FeatureMatrix m)
        {
            var values = new float[m.Values.Length];
            for (var i = 0; i < values.Length; i++) values[i] = (m.Values[i] - Mean) / Std;
            return new FeatureMatrix(m.Frames, m.Dimensions, values);
        }
    }

    /// <summary>Train statistics of log F0 (voiced frames) and energy, and the prosody steps the encoder reads.</summary>
    private sealed record ProsodyStandardisation(double LogF0Mean, double LogF0Std, double EnergyMean, double EnergyStd)
    {
        public static ProsodyStandardisation Of(FeatureCache cache, IEnumerable<string> keys)
        {
            var (f0, energy) = (new List<double>(), new List<double>());
            foreach (var key in keys)
            {
                var m = cache.Get(key);
                for (var t = 0; t < m.Frames; t++)
                {
                    if (m[t, 1] > 0 && m[t, 0] > 0) f0.Add(Math.Log(m[t, 0]));
                    energy.Add(m[t, 3]);
                }
            }
            var (f0Mean, f0Std) = MeanStd(f0);
            var (eMean, eStd) = MeanStd(energy);
            return new ProsodyStandardisation(f0Mean, f0Std, eMean, eStd);
        }

        private static (double Mean, double Std) MeanStd(List<double> values)
        {
            if (values.Count == 0) return (0, 1);
            var mean = values.Average();
            return (mean, Math.Max(Math.Sqrt(values.Average(v => (v - mean) * (v - mean))), 1e-3));
        }

        /// <summary>Per step of <paramref name="stride"/> frames: mean standardised log F0 of its voiced frames (0 if none), voiced share, mean voicing probability, mean standardised energy.</summary>
        public FeatureMatrix Apply(FeatureMatrix m, int stride)
        {
            var steps = Math.Max(1, (m.Frames + stride - 1) / stride);
            var result = new FeatureMatrix(steps, ProsodyFrames.Dimensions);
            for (var s = 0; s < steps; s++)
            {
                var (from, to) = (s * stride, Math.Min(m.Frames, (s + 1) * stride));
                double logF0 = 0, voiced = 0, probability = 0, energy = 0;
                for (var t = from; t < to; t++)
                {
                    if (m[t, 1] > 0 && m[t, 0] > 0) { logF0 += (Math.Log(m[t, 0]) - LogF0Mean) / LogF0Std; voiced++; }
                    probability += m[t, 2];
                    energy += (m[t, 3] - EnergyMean) / EnergyStd;
                }
                var frames = Math.Max(1, to - from);
                result[s, 0] = (float)(voiced > 0 ? logF0 / voiced : 0);
                result[s, 1] = (float)(voiced / frames);
                result[s, 2] = (float)(probability / frames);
                result[s, 3] = (float)(energy / frames);
            }
            return result;
        }
    }
}
