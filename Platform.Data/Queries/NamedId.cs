namespace EmotionLab.Data.Queries;

/// <summary>Something a filter picks by name and a URL keeps by id: a grid, an experiment, a corpus.</summary>
public sealed record NamedId(long Id, string Name)
{
    public override string ToString() => Name;
}
