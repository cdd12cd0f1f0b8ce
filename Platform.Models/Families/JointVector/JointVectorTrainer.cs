using EmotionLab.Models.Corpora;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Features;
using EmotionLab.Models.Knowledge;
using EmotionLab.Models.Training;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// Trains a joint-vector run: log-mel (and prosody) features when the modalities hear audio, the
/// word relations for KWRT when it reads text, then the shared loop. What the run falls back to
/// (KWRT without ConceptNet, modules the modalities leave out) and what it skips goes to the run log.
/// </summary>
/// <param name="openRelations">opens the word relations under an artifact root (the ConceptNet index), or null when there are none; a disposable result is disposed after the run</param>
public sealed class JointVectorTrainer(Func<string, IWordRelations?>? openRelations = null) : IFamilyTrainer
{
    public TrainingOutcome Train(FamilyRunContext context)
    {
        var spec = context.Spec;
        var config = spec.JointVector ?? throw new ArgumentException("a jointvector run needs its jointVector config");
        var (usesText, usesAudio) = (Modalities.UsesText(spec.Modalities), Modalities.UsesAudio(spec.Modalities));

        using var logMelExtractor = new LogMelFeatures();
        using var logMel = usesAudio ? FeatureCache.Open(context.Corpus, logMelExtractor, context.ArtifactRoot) : null;
        using var prosody = usesAudio && config.UseProsodyEnhancement ? FeatureCache.Open(context.Corpus, new ProsodyFrames(), context.ArtifactRoot) : null;
        // A pretrained audio slot reads a frozen speech encoder's hidden states; the fusion still reads log-mel patches.
        using var slotExtractor = usesAudio && config.Audio.Kind == EncoderSlotConfig.PretrainedKind ? (PretrainedSpeechFeatures)SlotFeatures.Audio(config.Audio, context.ArtifactRoot) : null;
        using var slotFrames = slotExtractor is null ? null : FeatureCache.Open(context.Corpus, slotExtractor, context.ArtifactRoot);
        if (slotFrames is not null) context.Log.WriteLine($"audio slot features: {slotFrames.Describe(slotExtractor!.Name)}");
        var relations = usesText && config.UseKwrt ? openRelations?.Invoke(context.ArtifactRoot) : null;
        using var ownedRelations = relations as IDisposable;

        if (config.UseKwrt && !usesText) context.Log.WriteLine("KWRT: not used, modalities 'audio' have no text to tag");
        else if (config.UseKwrt && relations is null)
            context.Log.WriteLine($"KWRT: no ConceptNet word relations under {context.ArtifactRoot}; KWRT tags word recurrence only (no IsA/HasContext/Causes relations)");
        if (!usesAudio) context.Log.WriteLine("text only: no prosody enhancement and no mel-spectrogram fusion; the fusion module is its language transformer alone");

        var data = JointVectorDataset.Build(context.Corpus, LabelSets.ByName(spec.LabelSet), spec.Task, spec.Modalities, config, logMel, prosody, relations, slotFrames);
        foreach (var (key, reason) in data.Skipped) context.Log.WriteLine($"skipped {key}: {reason}");
        if (data.DroppedByLabel > 0) context.Log.WriteLine($"{data.DroppedByLabel} {(spec.Task == ExperimentTasks.Epc ? "targets" : "utterances")} left out: label set {spec.LabelSet} drops their label");
        context.Log.WriteLine($"{spec.Task} items: train {data.Count(DataSplit.Train)}, validation {data.Count(DataSplit.Validation)}, test {data.Count(DataSplit.Test)}; " +
                              $"read by {string.Join(" and ", JointVectorConfig.MetricsFor(spec.Task))}");
        return Trainer.Run(spec, data, () =>
        {
            var model = data.CreateModel(config);
            context.Log.WriteLine($"second fusion step: {model.FusionKind}; {model.Classifiers} classifier(s){(config.UseIcl ? $"; ICL weight {config.IclWeight}, temperature {config.IclTemperature}" : "; no ICL")}");
            return model;
        }, context.RunFolder, context.Sink, context.Options, context.Cancellation);
    }
}
