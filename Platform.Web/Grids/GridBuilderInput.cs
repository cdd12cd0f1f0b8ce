using System.Text.Json;
using EmotionLab.Models.Experiments;
using EmotionLab.Web.Components.Experiments;

namespace EmotionLab.Web.Grids;

/// <summary>
/// The grid builder's form as text: a name, seeds, the base spec JSON, the axes a template brought
/// (JSON, values that may set several fields) and axes typed as lines (<see cref="GridAxisLine"/>),
/// and the reference variant. <see cref="Plan"/> turns it into variants or names every problem.
/// </summary>
public sealed record GridBuilderInput(string Name, string Seeds, string BaseSpecJson, string TemplateAxesJson, string AxisLines, string Reference)
{
    /// <summary>JSON for a person to read and edit: indented, and "text+audio" written as is (the page encodes its HTML).</summary>
    public static readonly JsonSerializerOptions Indented = new(ExperimentSpecJson.Options)
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static GridBuilderInput Empty { get; } = new("", "0, 1, 2", "", "[]", "", "");

    /// <summary>A paper's table as a grid on a corpus: its base spec, its axes and its reference row.</summary>
    public static GridBuilderInput FromTemplate(GridTemplate template, string corpus) => new(
        $"{template.Name} on {corpus}", "0, 1, 2", JsonSerializer.Serialize(template.BaseSpecFor(corpus), Indented),
        JsonSerializer.Serialize(template.Axes, Indented), "", template.ReferenceVariant);

    /// <summary>An existing experiment's spec as the base, with no axes yet.</summary>
    public static GridBuilderInput FromExperiment(string name, string specJson) => new(
        $"{name}: grid", "0, 1, 2", JsonSerializer.Serialize(JsonDocument.Parse(specJson).RootElement, Indented), "[]", "", "");

    public GridBuilderPlan Plan()
    {
        var problems = new List<SpecProblem>();
        if (string.IsNullOrWhiteSpace(Name)) problems.Add(new("name", "give the grid a name"));
        var seeds = SeedList.Parse(Seeds, problems);

        ExperimentSpec? baseSpec = null;
        if (string.IsNullOrWhiteSpace(BaseSpecJson)) problems.Add(new("baseSpec", "start from a template or an experiment, or paste a spec"));
        else
        {
            var parsed = ExperimentSpecJson.Parse(BaseSpecJson);
            baseSpec = parsed.Spec;
            problems.AddRange(parsed.Problems.Select(p => p with { Field = p.Field.Length == 0 ? "baseSpec" : "baseSpec." + p.Field }));
        }

        var axes = new List<GridAxis>();
        try
        {
            axes.AddRange(JsonSerializer.Deserialize<List<GridAxis>>(string.IsNullOrWhiteSpace(TemplateAxesJson) ? "[]" : TemplateAxesJson, ExperimentSpecJson.Options) ?? []);
        }
        catch (JsonException e)
        {
            problems.Add(new("templateAxes", $"not a list of axes: {e.Message.Split(" Path:", 2)[0]}"));
        }
        var (typed, typedProblems) = GridAxisLine.ParseAll(AxisLines);
        axes.AddRange(typed);
        problems.AddRange(typedProblems);
        foreach (var name in axes.GroupBy(a => a.Name).Where(g => g.Count() > 1).Select(g => g.Key))
            problems.Add(new("axes", $"axis '{name}' is given twice"));

        IReadOnlyList<GridVariant> variants = [];
        if (baseSpec is not null && problems.Count == 0)
        {
            var (expanded, expansionProblems) = GridExpansion.Expand(baseSpec, axes);
            (variants, problems) = (expanded, [.. problems, .. expansionProblems]);
            if (Reference.Length > 0 && expanded.Count > 0 && expanded.All(v => v.Name != Reference))
                problems.Add(new("reference", $"no variant is named '{Reference}'; one of {string.Join(", ", expanded.Select(v => v.Name))}"));
        }
        return new GridBuilderPlan(baseSpec, axes, seeds, variants, Reference.Length > 0 ? Reference : null, problems);
    }
}

/// <summary>What the builder would queue: variants x seeds, or the problems that stop it.</summary>
public sealed record GridBuilderPlan(ExperimentSpec? BaseSpec, IReadOnlyList<GridAxis> Axes, IReadOnlyList<int> Seeds,
    IReadOnlyList<GridVariant> Variants, string? Reference, IReadOnlyList<SpecProblem> Problems)
{
    public int RunCount => Variants.Count * Seeds.Count;

    public bool CanQueue => Problems.Count == 0 && Variants.Count > 0;
}
