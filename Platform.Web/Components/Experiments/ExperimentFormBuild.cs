using EmotionLab.Models.Experiments;

namespace EmotionLab.Web.Components.Experiments;

/// <summary>What the form's values make: the spec (null when they make none), the seeds, the name, and every problem, each with its field.</summary>
public sealed record ExperimentFormBuild(ExperimentSpec? Spec, IReadOnlyList<int> Seeds, string Name, IReadOnlyList<SpecProblem> Problems)
{
    public bool CanSubmit => Spec is not null && Problems.Count == 0;
}
