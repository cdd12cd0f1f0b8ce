namespace EmotionLab.Models.Corpora;

/// <summary>
/// How far an import (or a registration in the database) has got: the stage it is in and, where it
/// counts, <see cref="Done"/> of <see cref="Total"/> <see cref="Unit"/>; Total is 0 when the stage
/// has nothing to count.
/// </summary>
public sealed record ImportProgress(string Stage, int Done = 0, int Total = 0, string Unit = "utterances")
{
    public double Fraction => Total > 0 ? Math.Clamp((double)Done / Total, 0, 1) : 0;

    public override string ToString() => Total > 0 ? $"{Stage}: {Done}/{Total} {Unit}" : Stage;
}
