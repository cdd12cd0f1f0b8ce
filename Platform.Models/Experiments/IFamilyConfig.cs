namespace EmotionLab.Models.Experiments;

/// <summary>A family's config record: it checks its own fields (paths under its spec property) against the spec.</summary>
public interface IFamilyConfig
{
    /// <summary>Adds this config's problems to the list; never throws on bad values.</summary>
    void Validate(ExperimentSpec spec, List<SpecProblem> problems);

    /// <summary>
    /// Settings ("field = value") that fill every model-folder field of this config with a tiny
    /// random folder (`models tiny`), so a grid can be dry-run on CPU; <paramref name="folderFor"/>
    /// names the folder of an architecture (llama, hubert, beats, ...). None for a family without
    /// model folders.
    /// </summary>
    IReadOnlyList<string> TinyModelSettings(Func<string, string> folderFor) => [];

    /// <summary>
    /// The memory a run of this config needs, read from its model folders' configs (no weights are
    /// loaded), or the problems with those folders; no estimate for a family without model folders.
    /// </summary>
    (Training.TrainingMemoryEstimate? Estimate, IReadOnlyList<SpecProblem> Problems) EstimateMemory(string artifactRoot) => (null, []);

    /// <summary>The most epochs a run of this spec reports, across its stages (a run's progress is counted against it).</summary>
    int PlannedEpochs(ExperimentSpec spec) => spec.Epochs;
}
