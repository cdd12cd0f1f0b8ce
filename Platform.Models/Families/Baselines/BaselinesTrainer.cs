using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Features;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.Baselines;

/// <summary>Trains a Baselines run: log-mel features when the variant hears audio, then the shared loop.</summary>
public sealed class BaselinesTrainer : IFamilyTrainer
{
    public TrainingOutcome Train(FamilyRunContext context)
    {
        var spec = context.Spec;
        var config = spec.Baselines ?? throw new ArgumentException("a baselines run needs its baselines config");
        using var extractor = new LogMelFeatures();
        using var features = Modalities.UsesAudio(spec.Modalities) ? FeatureCache.Open(context.Corpus, extractor, context.ArtifactRoot) : null;
        using var data = BaselinesDataset.Build(context.Corpus, LabelSets.ByName(spec.LabelSet), config, features);
        foreach (var skipped in data.Skipped) context.Log.WriteLine($"skipped {skipped}");
        return Trainer.Run(spec, data, () => data.CreateModel(config), context.RunFolder, context.Sink, context.Options, context.Cancellation);
    }
}
