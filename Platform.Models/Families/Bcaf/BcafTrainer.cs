using EmotionLab.Models.Corpora;
using EmotionLab.Models.Features;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// Trains a BCAF run: the corpus's features for each slot (log-mel frames, or a frozen pretrained
/// encoder's hidden states, extracted once per corpus and model and then read from the cache), the
/// utterance dataset, then the shared loop (the model supplies eq. 18 as its training loss).
/// </summary>
public sealed class BcafTrainer : IFamilyTrainer
{
    public TrainingOutcome Train(FamilyRunContext context)
    {
        var spec = context.Spec;
        var config = spec.Bcaf ?? throw new ArgumentException("a bcaf run needs its bcaf config");
        var audioExtractor = SlotFeatures.Audio(config.Audio, context.ArtifactRoot);
        using var ownedExtractor = audioExtractor as IDisposable;
        using var features = FeatureCache.Open(context.Corpus, audioExtractor, context.ArtifactRoot);
        context.Log.WriteLine($"audio features: {features.Describe(audioExtractor.Name)}");
        using var textExtractor = SlotFeatures.Text(config.Text, context.ArtifactRoot);
        using var textFeatures = textExtractor is null ? null : FeatureCache.Open(context.Corpus, textExtractor, context.ArtifactRoot);
        if (textFeatures is not null)
            context.Log.WriteLine($"text features: {textFeatures.Describe(textExtractor!.Name)}");
        using var data = BcafDataset.Build(context.Corpus, LabelSets.ByName(spec.LabelSet), config, features, textFeatures);
        foreach (var skipped in data.Skipped) context.Log.WriteLine($"skipped {skipped}");
        return Trainer.Run(spec, data, () => data.CreateModel(config), context.RunFolder, context.Sink, context.Options, context.Cancellation);
    }
}
