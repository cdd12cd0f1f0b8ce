namespace EmotionLab.Models.Experiments;

/// <summary>A family's config record: it checks its own fields (paths under its spec property) against the spec.</summary>
public interface IFamilyConfig
{
    /// <summary>Adds this config's problems to the list; never throws on bad values.</summary>
    void Validate(ExperimentSpec spec, List<SpecProblem> problems);
}
