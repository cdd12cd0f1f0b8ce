namespace EmotionLab.Data.Entities;

/// <summary>
/// A named group of a lab's experiments and grids (a paper, a corpus study). Every member sees
/// every project; a project is made by the first submission that names it.
/// </summary>
public sealed class Project
{
    public const int MaxNameLength = 80;

    public long Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
