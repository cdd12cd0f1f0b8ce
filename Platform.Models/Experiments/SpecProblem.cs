namespace EmotionLab.Models.Experiments;

/// <summary>One problem with a spec: the JSON field path (camelCase, dotted, "" for the whole spec) and what is wrong.</summary>
public sealed record SpecProblem(string Field, string Message)
{
    public override string ToString() => Field.Length == 0 ? Message : $"{Field}: {Message}";
}
