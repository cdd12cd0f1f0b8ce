using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Features;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Llama;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.Eaa;

/// <summary>
/// Trains an EAA run: each used stream's features (log-mel for a scratch encoder; for a pretrained
/// one its hidden state below the tuned layers, extracted once per corpus and model), the LLM's
/// tokenizer and prompts, the dataset, then the shared loop (the model supplies the answer-token
/// loss and scores the label words). The run log gives the parameter counts and peak memory.
/// </summary>
public sealed class EaaTrainer : IFamilyTrainer
{
    public TrainingOutcome Train(FamilyRunContext context)
    {
        var spec = context.Spec;
        var config = spec.Eaa ?? throw new ArgumentException("an eaa run needs its eaa config");
        var llmFolder = ModelFolder.Open(ModelFolder.Resolve(config.Llm!, context.ArtifactRoot));
        PretrainedArchitectures.ShapeFor(llmFolder, PretrainedModality.Language, "eaa.llm").Dispose();
        var labelSet = LabelSets.ByName(spec.LabelSet);
        using var prompt = new EaaPrompt(PretrainedTokenizer.Open(llmFolder), config.Instruction, config.Context, LabelWords.For(labelSet), llmFolder.Path);

        using var semantic = config.UsesSemantic ? StreamFeatures.Open("semantic", config.Semantic, config.TrainableLayers, context) : null;
        using var acoustic = config.UsesAcoustic ? StreamFeatures.Open("acoustic", config.Acoustic, config.TrainableLayers, context, reuse: semantic) : null;
        using var data = EaaDataset.Build(context.Corpus, labelSet, config, prompt, semantic?.Cache, acoustic?.Cache);
        foreach (var (key, reason) in data.Skipped) context.Log.WriteLine($"skipped {key}: {reason}");
        context.Log.WriteLine($"items: train {data.Count(DataSplit.Train)}, validation {data.Count(DataSplit.Validation)}, test {data.Count(DataSplit.Test)}; " +
                              $"encoders {config.Encoders}, fusion {config.Fusion}, context {config.Context}, LLM {llmFolder.Path}");
        context.Log.WriteLine($"prompt of the first train item: {data.PromptText(DataSplit.Train, 0).ReplaceLineEndings(" | ")}");

        // Checkpoints leave the frozen weights of these folders out and keep their fingerprints.
        var bases = new List<PretrainedBase> { new("llm", llmFolder.Path, llmFolder.Fingerprint()) };
        foreach (var (stream, features) in new[] { ("semantic", semantic), ("acoustic", acoustic) })
            if (features?.Extractor is PretrainedSpeechFeatures pretrained && config.TrainableLayers > 0)
                bases.Add(new($"{stream}.encoder", pretrained.Folder.Path, pretrained.Folder.Fingerprint()));

        EaaModel CreateModel()
        {
            var model = new EaaModel(config,
                semantic?.Encoder(config.Semantic, config, data.SemanticFrameSize),
                acoustic?.Encoder(config.Acoustic, config, data.AcousticFrameSize),
                (LlamaForCausalLM)PretrainedArchitectures.Load(llmFolder.Path), prompt) { PretrainedBases = bases };
            var parameters = model.parameters().ToList();
            context.Log.WriteLine($"parameters: {parameters.Sum(p => p.numel()):N0} total, {parameters.Where(p => p.requires_grad).Sum(p => p.numel()):N0} trainable");
            return model;
        }
        var outcome = Trainer.Run(spec, data, CreateModel, context.RunFolder, context.Sink, context.Options, context.Cancellation);
        context.Log.WriteLine($"peak resident memory: {Environment.WorkingSet / (1 << 20):N0} MiB now, {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20):N0} MiB peak");
        return outcome;
    }

    /// <summary>One stream's feature extractor and cache, and how to build its encoder.</summary>
    private sealed class StreamFeatures(IAudioFeatureExtractor extractor, FeatureCache cache, bool ownsCache) : IDisposable
    {
        public FeatureCache Cache => cache;

        // A pretrained encoder's cache holds hidden state L - N (the tuned layers run in the model);
        // two scratch streams read the same log-mel cache.
        public static StreamFeatures Open(string stream, EncoderSlotConfig slot, int trainableLayers, FamilyRunContext context, StreamFeatures? reuse = null)
        {
            IAudioFeatureExtractor extractor;
            if (slot.Kind == EncoderSlotConfig.PretrainedKind)
            {
                var folder = ModelFolder.Open(ModelFolder.Resolve(slot.Model!, context.ArtifactRoot));
                using var shape = PretrainedArchitectures.ShapeFor(folder, PretrainedModality.Speech, $"eaa.{stream}");
                var layer = trainableLayers > 0 ? PretrainedSpeechTail.CachedHiddenState(shape.LayerCount, Math.Min(trainableLayers, shape.LayerCount)) : slot.Layer;
                extractor = new PretrainedSpeechFeatures(folder, layer);
            }
            else extractor = new LogMelFeatures();
            if (reuse is not null && reuse.Extractor.Fingerprint == extractor.Fingerprint)
            {
                (extractor as IDisposable)?.Dispose();
                context.Log.WriteLine($"{stream} features: the semantic stream's");
                return new StreamFeatures(reuse.Extractor, reuse.Cache, ownsCache: false);
            }
            var cache = FeatureCache.Open(context.Corpus, extractor, context.ArtifactRoot);
            context.Log.WriteLine($"{stream} features: {cache.Describe(extractor.Name)}");
            return new StreamFeatures(extractor, cache, ownsCache: true);
        }

        public IAudioFeatureExtractor Extractor => extractor;

        public IAudioEncoderSlot Encoder(EncoderSlotConfig slot, EaaConfig config, int frameSize)
        {
            if (slot.Kind != EncoderSlotConfig.PretrainedKind) return new FrameSequenceEncoder(slot, frameSize, config.Dropout);
            var trainable = config.TrainableLayers;
            var encoder = trainable > 0 ? (PretrainedSpeechModel)PretrainedArchitectures.Load(((PretrainedSpeechFeatures)extractor).Folder.Path) : null;
            return new PretrainedSpeechTail(encoder, frameSize, Math.Min(trainable, encoder?.LayerCount ?? 0), slot.MaxLength);
        }

        public void Dispose()
        {
            if (!ownsCache) return;
            cache.Dispose();
            (extractor as IDisposable)?.Dispose();
        }
    }
}
