namespace EmotionLab.Models.Experiments;

/// <summary>
/// A grid that reproduces a table of a paper (or the baselines beside them): a base spec for a
/// corpus, the axes whose values are the table's rows, and the row the others are compared with.
/// </summary>
public sealed record GridTemplate(
    string Name,
    string Family,
    string Description,
    Func<string, ExperimentSpec> BaseSpecFor,
    IReadOnlyList<GridAxis> Axes,
    string ReferenceVariant);
