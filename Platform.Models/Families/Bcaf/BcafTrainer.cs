using EmotionLab.Models.Corpora;
using EmotionLab.Models.Features;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>Trains a BCAF run: the corpus's log-mel features, the utterance dataset, then the shared loop (the model supplies eq. 18 as its training loss).</summary>
public sealed class BcafTrainer : IFamilyTrainer
{
    public TrainingOutcome Train(FamilyRunContext context)
    {
        var spec = context.Spec;
        var config = spec.Bcaf ?? throw new ArgumentException("a bcaf run needs its bcaf config");
        using var extractor = new LogMelFeatures();
        using var features = FeatureCache.Open(context.Corpus, extractor, context.ArtifactRoot);
        using var data = BcafDataset.Build(context.Corpus, LabelSets.ByName(spec.LabelSet), config, features);
        foreach (var skipped in data.Skipped) context.Log.WriteLine($"skipped {skipped}");
        return Trainer.Run(spec, data, () => data.CreateModel(config), context.RunFolder, context.Sink, context.Options, context.Cancellation);
    }
}
