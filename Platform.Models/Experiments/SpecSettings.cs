namespace EmotionLab.Models.Experiments;

/// <summary>
/// Fields set on a spec from the command line, one <c>field = value</c> each (the grid builder's
/// axis syntax with a single value), e.g. <c>learningRate = 1e-3</c> or <c>bcaf.layers = 2</c>.
/// The result is validated like a spec typed by hand; an unknown field or a bad value is named.
/// </summary>
public static class SpecSettings
{
    public static (ExperimentSpec? Spec, IReadOnlyList<SpecProblem> Problems) Apply(ExperimentSpec spec, IReadOnlyList<string> settings)
    {
        if (settings.Count == 0) return (spec, []);
        var (axes, problems) = (new List<GridAxis>(), new List<SpecProblem>());
        for (var i = 0; i < settings.Count; i++)
        {
            var (axis, problem) = GridAxisLine.Parse(settings[i], i + 1);
            if (problem is not null) problems.Add(problem with { Field = "set", Message = problem.Message.Replace("write an axis as 'field = value, value'", "write a setting as 'field = value'") });
            else if (axis!.Values.Count != 1) problems.Add(new SpecProblem(axis.Name, $"setting {i + 1}: '{settings[i].Trim()}' gives {axis.Values.Count} values; a setting takes one (a grid axis takes several)"));
            else axes.Add(axis);
        }
        // The well-formed settings are applied even when others are not, so every problem is named at once.
        var (variants, expansionProblems) = GridExpansion.Expand(spec, axes);
        if (problems.Count == 0 && variants is [var only]) return (only.Spec, []);
        // One value per axis makes one variant, named by the values: that name means nothing here.
        var prefix = $"variant '{string.Join(", ", axes.Select(a => a.Values[0].Label))}': ";
        problems.AddRange(expansionProblems.Select(p => p with { Message = p.Message.StartsWith(prefix, StringComparison.Ordinal) ? p.Message[prefix.Length..] : p.Message }));
        return (null, problems);
    }
}
