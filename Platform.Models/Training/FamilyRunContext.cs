using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Training;

/// <summary>
/// Everything a family trainer gets for one run.
/// </summary>
/// <param name="Spec">validated, with the run's seed</param>
/// <param name="ArtifactRoot">where caches live (feature caches, the ConceptNet index), shared by runs</param>
/// <param name="RunFolder">the run's own folder; checkpoints go under it, and a folder with checkpoints is resumed</param>
/// <param name="Log">the run's log: what the family skipped, dropped or fell back to goes here</param>
public sealed record FamilyRunContext(
    ExperimentSpec Spec,
    Corpus Corpus,
    string ArtifactRoot,
    string RunFolder,
    ITrainingSink Sink,
    TrainerOptions Options,
    TextWriter Log,
    CancellationToken Cancellation = default);
