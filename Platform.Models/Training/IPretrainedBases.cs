namespace EmotionLab.Models.Training;

/// <summary>
/// A model built over pretrained folders (an LLM, speech encoders) whose frozen weights its
/// checkpoints leave out: a run's checkpoint holds what trains (adapters, projections, fusion, the
/// tuned layers) and, per base, the folder and its fingerprint, so no run keeps a copy of an 8B
/// model. Resuming builds the model from the folders again and checks they are unchanged.
/// </summary>
public interface IPretrainedBases
{
    IReadOnlyList<PretrainedBase> PretrainedBases { get; }
}

/// <summary>A pretrained folder a model's submodule was loaded from: the submodule's dotted name, the folder and its fingerprint (<see cref="Pretrained.ModelFolder.Fingerprint"/>).</summary>
public sealed record PretrainedBase(string Module, string Folder, string Fingerprint);
