using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Features;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Bert;
using EmotionLab.Models.Pretrained.Llama;
using EmotionLab.Models.Text;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.EmoQ;

/// <summary>
/// Trains an EmoQ run in its two stages, as one run of the platform: the audio features (the
/// frozen HuBERT's hidden state, extracted once per corpus and model; log-mel for a scratch
/// encoder), the bridge's text tokens, the LLM's prompts and the dataset; then stage 1 (the bridge
/// and the auxiliary head on MAL) in the shared stage-1 folder, or the result a run with the same
/// stage-1 spec already left there; then stage 2 (the bridge loaded from stage 1's best checkpoint,
/// the projector and the LLM with LoRA). Stage 2's epochs and steps follow stage 1's in the run's
/// curves when this run trained stage 1; the log says which stage runs and whose stage 1 is reused.
/// </summary>
public sealed class EmoQTrainer : IFamilyTrainer
{
    /// <summary>How long a run waits for another run's stage 1 in the same folder.</summary>
    public static TimeSpan Stage1Wait { get; set; } = TimeSpan.FromDays(2);

    public TrainingOutcome Train(FamilyRunContext context)
    {
        var spec = context.Spec;
        var config = spec.EmoQ ?? throw new ArgumentException("an emoq run needs its emoQ config");
        var run = context.Options.RunName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(context.RunFolder));
        var log = context.Log;
        var llmFolder = ModelFolder.Open(ModelFolder.Resolve(config.Llm!, context.ArtifactRoot));
        PretrainedArchitectures.ShapeFor(llmFolder, PretrainedModality.Language, "emoQ.llm").Dispose();
        var labelSet = LabelSets.ByName(spec.LabelSet);
        using var prompt = new EmoQPrompt(PretrainedTokenizer.Open(llmFolder), LabelWords.For(labelSet), config.Speaker, config.UsesText, config.HasBridge, llmFolder.Path);

        var extractor = config.UsesAudio ? AudioExtractor(config.Audio, context.ArtifactRoot) : null;
        using var extractorOwned = extractor as IDisposable;
        using var cache = extractor is null ? null : FeatureCache.Open(context.Corpus, extractor, context.ArtifactRoot);
        if (cache is not null) log.WriteLine($"audio features: {cache.Describe(extractor!.Name)}");
        using var text = config.HasBridge && config.UsesText ? BridgeText.Open(config, context) : null;
        using var data = EmoQDataset.Build(context.Corpus, labelSet, config, prompt, text is null ? null : text.Encode, text?.PaddingId ?? 0, cache);
        foreach (var (key, reason) in data.Skipped) log.WriteLine($"skipped {key}: {reason}");
        log.WriteLine($"items: train {data.Count(DataSplit.Train)}, validation {data.Count(DataSplit.Validation)}, test {data.Count(DataSplit.Test)}; " +
                      $"input {config.Input}, stage 1 {(config.Stage1 ? "on" : "off")}, LLM {llmFolder.Path}");
        log.WriteLine($"prompt of the first train item: {data.PromptText(DataSplit.Train, 0).ReplaceLineEndings(" | ")}");

        // With the stage-1 weights to load, the RoBERTa weights and embeddings would be overwritten: the bridge is built from the config alone.
        var formerLogged = false;
        EmoQBridge? CreateBridge(bool pretrainedWeights = true)
        {
            if (!config.HasBridge) return null;
            IAudioEncoderSlot audio = config.Audio.Kind == EncoderSlotConfig.PretrainedKind
                ? new PretrainedSpeechTail(null, data.AudioFrameSize, 0, config.Audio.MaxLength)
                : new FrameSequenceEncoder(config.Audio, data.AudioFrameSize, config.Dropout);
            EmoQFormer? former = null;
            if (config.Input == EmoQConfig.FormerInput)
            {
                if (config.FormerIsPretrained && pretrainedWeights)
                {
                    (former, var fresh) = EmoQFormer.FromRoberta(text!.Folder!, config.Queries, config.PoolingHeads, audio.OutputSize, config.Dropout);
                    if (!formerLogged)
                        log.WriteLine($"EmoQ-Former from {text.Folder}: {former.Config.NumHiddenLayers} layers of width {former.OutputSize}; new: {string.Join(", ", fresh.Select(n => n.Split('.')[0] == "encoder" ? "crossattention" : n.Split('.')[0]).Distinct())}");
                    formerLogged = true;
                }
                else if (config.FormerIsPretrained) former = new EmoQFormer(EmoQFormer.WithDropout(text!.Roberta!, config.Dropout), config.Queries, config.PoolingHeads, audio.OutputSize);
                else former = new EmoQFormer(EmoQFormer.ScratchConfig(config.Former, text!.VocabularySize, config.Dropout), config.Queries, config.PoolingHeads, audio.OutputSize);
            }
            var bridge = new EmoQBridge(config.Input, audio, former, former?.OutputSize ?? text?.Width ?? config.Former.Size, text?.VocabularySize ?? 0, text?.PaddingId ?? 0);
            if (pretrainedWeights && bridge.WordEmbeddings is { } words && text?.WordEmbeddings is { } initial)
                using (torch.no_grad()) words.weight.copy_(initial);
            return bridge;
        }

        // Stage 1, trained here or reused; its epochs and steps come before stage 2's when trained by this run.
        Stage1Result? stage1 = null;
        if (config.Stage1)
        {
            var stage1Spec = EmoQConfig.Stage1Spec(spec);
            var folder = Stage1Results.FolderFor(context.ArtifactRoot, stage1Spec, context.Corpus);
            using var held = FolderLock.AcquireAsync(folder, Stage1Wait, context.Cancellation).GetAwaiter().GetResult();
            stage1 = Stage1Results.Read(folder);
            if (stage1 is not null && stage1.Run != run)
                log.WriteLine($"stage 1: reusing {stage1.Run}'s stage-1 checkpoint {stage1.Checkpoint} (best epoch {stage1.BestEpoch} of {stage1.Epochs}, validation weighted F1 {stage1.BestValidationWeightedF1:F4})");
            else if (stage1 is not null)
                log.WriteLine($"stage 1: done by this run earlier (best epoch {stage1.BestEpoch} of {stage1.Epochs}); stage 2 resumes");
            else
            {
                log.WriteLine($"stage 1: the bridge and the auxiliary head on MAL (SCL {(config.Scl ? "on" : "off")}, {(config.Focal ? "focal loss" : "cross-entropy")}), " +
                              $"{stage1Spec.Epochs} epochs at {stage1Spec.LearningRate:G3}, in {folder}");
                var stageSink = new TrainingStageSink(context.Sink, 0, 0, lastStage: false);
                var outcome = Trainer.Run(stage1Spec, data, () => Stage1Model(config, CreateBridge()!, data, log), folder, stageSink,
                    context.Options with { RunName = $"{run} stage 1" }, context.Cancellation);
                if (outcome.Status == TrainingStatus.Canceled)
                {
                    context.Sink.RunFinished(outcome);
                    log.WriteLine($"stage 1: canceled after {outcome.EpochsCompleted} epochs; the next run of this stage-1 spec resumes it");
                    return outcome;
                }
                if (outcome.BestEpoch is not { } best) throw new TrainingException($"{run}: stage 1 completed no epoch", run);
                stage1 = new Stage1Result(run, outcome.EpochsCompleted, outcome.Steps, best, outcome.BestValidation!.Scores.WeightedF1,
                    new RunCheckpoints(Path.Combine(folder, "checkpoints")).FolderOf(best));
                Stage1Results.Write(folder, stage1);
                log.WriteLine($"stage 1: {outcome.Status} after {outcome.EpochsCompleted} epochs; best epoch {best}, validation weighted F1 {stage1.BestValidationWeightedF1:F4}, test weighted F1 {outcome.TestAtBestEpoch?.Scores.WeightedF1:F4}");
            }
        }
        var (epochOffset, stepOffset) = stage1 is not null && stage1.Run == run ? (stage1.Epochs, stage1.Steps) : (0, 0L);

        log.WriteLine($"stage 2: {(stage1 is null ? "end to end" : "from stage 1's bridge")}, the LLM with LoRA r {config.LoraRank}, {spec.Epochs} epochs at {spec.LearningRate:G3}");
        var bases = new List<PretrainedBase> { new("llm", llmFolder.Path, llmFolder.Fingerprint()) };
        EmoQModel CreateModel()
        {
            var bridge = CreateBridge(pretrainedWeights: stage1 is null);
            if (stage1 is not null && bridge is not null) Stage1Results.LoadBridge(stage1.Checkpoint, bridge);
            var model = new EmoQModel(config, bridge, (LlamaForCausalLM)PretrainedArchitectures.Load(llmFolder.Path), prompt) { PretrainedBases = bases };
            var parameters = model.parameters().ToList();
            log.WriteLine($"parameters: {parameters.Sum(p => p.numel()):N0} total, {parameters.Where(p => p.requires_grad).Sum(p => p.numel()):N0} trainable");
            return model;
        }
        var sink = new TrainingStageSink(context.Sink, epochOffset, stepOffset, lastStage: true);
        var result = sink.Shift(Trainer.Run(spec, data, CreateModel, context.RunFolder, sink, context.Options, context.Cancellation));
        log.WriteLine($"peak resident memory: {Environment.WorkingSet / (1 << 20):N0} MiB now, {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20):N0} MiB peak");
        return result;
    }

    private static EmoQStage1Model Stage1Model(EmoQConfig config, EmoQBridge bridge, EmoQDataset data, TextWriter log)
    {
        var model = new EmoQStage1Model(config, bridge, data.Labels.Count, data.TrainClassCounts());
        log.WriteLine($"stage-1 parameters: {model.parameters().Sum(p => p.numel()):N0}");
        return model;
    }

    private static IAudioFeatureExtractor AudioExtractor(EncoderSlotConfig slot, string artifactRoot) =>
        slot.Kind == EncoderSlotConfig.PretrainedKind
            ? new PretrainedSpeechFeatures(ModelFolder.Open(ModelFolder.Resolve(slot.Model!, artifactRoot)), slot.Layer)
            : new LogMelFeatures();

    /// <summary>
    /// The transcript as the bridge reads it: RoBERTa's tokens (with its &lt;s&gt; and &lt;/s&gt;)
    /// when the former is initialised from a folder, else word ids of the train split's vocabulary;
    /// cut to the former's length (and RoBERTa's positions).
    /// </summary>
    private sealed class BridgeText : IDisposable
    {
        private readonly PretrainedTokenizer? tokenizer;
        private readonly Vocabulary? vocabulary;
        private readonly int maxLength;

        private BridgeText(PretrainedTokenizer? tokenizer, Vocabulary? vocabulary, int maxLength, string? folder, BertConfig? roberta, Tensor? wordEmbeddings)
        {
            (this.tokenizer, this.vocabulary, this.maxLength, Folder, Roberta, WordEmbeddings) = (tokenizer, vocabulary, maxLength, folder, roberta, wordEmbeddings);
            VocabularySize = roberta?.VocabSize ?? vocabulary!.Count;
            PaddingId = roberta?.PadTokenId ?? vocabulary!.PaddingId;
            Width = roberta?.HiddenSize;
        }

        /// <summary>The RoBERTa folder; null for a scratch former.</summary>
        public string? Folder { get; }

        /// <summary>The RoBERTa folder's config; null for a scratch former.</summary>
        public BertConfig? Roberta { get; }
        public int VocabularySize { get; }
        public int PaddingId { get; }

        /// <summary>RoBERTa's width (the bridge's d_h); null for a scratch former.</summary>
        public int? Width { get; }

        /// <summary>RoBERTa's word embeddings, which the concat bridge starts from; null otherwise.</summary>
        public Tensor? WordEmbeddings { get; }

        public static BridgeText Open(EmoQConfig config, FamilyRunContext context)
        {
            if (!config.FormerIsPretrained)
            {
                var train = LabelledUtterances.SplitNames(context.Corpus)[DataSplit.Train];
                var vocabulary = Vocabulary.Build(context.Corpus.Utterances.Where(u => u.Split == train).Select(u => u.Text), speakerTokens: 0);
                context.Log.WriteLine($"EmoQ-Former text: a scratch vocabulary of {vocabulary.Count:N0} words");
                return new BridgeText(null, vocabulary, config.Former.MaxLength, null, null, null);
            }
            var folder = ModelFolder.Open(ModelFolder.Resolve(config.Former.Model!, context.ArtifactRoot));
            using var shape = PretrainedArchitectures.ShapeFor(folder, PretrainedModality.Text, "emoQ.former");
            var roberta = ((BertModel)shape).Config;
            // RoBERTa's positions start after the padding id.
            var maxLength = Math.Min(config.Former.MaxLength, roberta.MaxPositionEmbeddings - (roberta.IsRoberta ? roberta.PadTokenId + 1 : 0));
            Tensor? embeddings = null;
            if (config.Input == EmoQConfig.ConcatInput)
            {
                using var loaded = (BertModel)PretrainedArchitectures.Load(folder.Path);
                embeddings = loaded.state_dict()["embeddings.word_embeddings.weight"].detach().clone().DetachFromDisposeScope();
            }
            context.Log.WriteLine($"EmoQ-Former text: {folder.Path}'s tokenizer, at most {maxLength} tokens");
            return new BridgeText(PretrainedTokenizer.Open(folder), null, maxLength, folder.Path, roberta, embeddings);
        }

        /// <summary>The transcript's token ids, never empty.</summary>
        public int[] Encode(string text)
        {
            var ids = tokenizer is not null ? tokenizer.Encode(text) : vocabulary!.Encode(text);
            if (ids.Length == 0) return [vocabulary?.UnknownId ?? PaddingId];
            return ids.Length <= maxLength ? ids : ids.Take(maxLength - 1).Append(ids[^1]).ToArray(); // keep RoBERTa's </s>
        }

        public void Dispose()
        {
            tokenizer?.Dispose();
            WordEmbeddings?.Dispose();
        }
    }
}
