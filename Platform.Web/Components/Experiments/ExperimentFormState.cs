using System.Globalization;
using System.Text.Json.Nodes;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Web.Components.Experiments;

/// <summary>
/// The New experiment form's values as the user typed them (keyed by the spec's JSON paths, plus
/// name and seeds) and the problems found in them. Building turns the text into an ExperimentSpec;
/// every problem keeps the field it belongs to, so the page shows it next to its input and keeps
/// what was typed. A field's problems show once it was edited, or every field's after a submit.
/// </summary>
public sealed class ExperimentFormState
{
    public const string NameField = "name";
    public const string FamilyField = "family";
    public const string CorpusField = "corpus";
    public const string LabelSetField = "labelSet";
    // The seeds field replaces the spec's one seed: each seed is a run.
    private const string SpecSeedPath = "seed";

    private readonly Dictionary<string, string> values;
    private readonly IReadOnlyList<SpecFormField> fields;
    private readonly HashSet<string> edited = [];

    private ExperimentFormState(FamilyForm? family, Dictionary<string, string> values, IReadOnlyList<string> corpora)
    {
        Family = family;
        this.values = values;
        Corpora = corpora;
        // Which values the spec has depends on the family: its template's fields, or the common ones for an unknown family.
        fields = SpecFormField.Of(Template).Where(f => f.Path != SpecSeedPath).ToList();
    }

    /// <summary>The family's form; null when the posted family has none (unknown or not available), which the validator then reports.</summary>
    public FamilyForm? Family { get; }

    /// <summary>The names of the imported corpora, the corpus choices.</summary>
    public IReadOnlyList<string> Corpora { get; }

    /// <summary>The problems of the values as they stand (and of the last submit); each is shown once its field was edited or a submit was tried.</summary>
    public List<SpecProblem> Problems { get; } = [];

    /// <summary>Whether a submit was tried: every problem shows from then on.</summary>
    public bool Submitted { get; set; }

    /// <summary>Raised after a value changed, with its path; the page builds the spec again.</summary>
    public event Action<string>? Changed;

    public string this[string path] => values.GetValueOrDefault(path, "");

    /// <summary>
    /// A value as the user typed or picked it. Another corpus brings its own label sets: a label set
    /// the new corpus lacks becomes the corpus's first.
    /// </summary>
    public void Set(string path, string? value)
    {
        values[path] = value ?? "";
        edited.Add(path);
        if (path == CorpusField && LabelSets.All(s => s.Name != this[LabelSetField]))
            values[LabelSetField] = LabelSets.FirstOrDefault()?.Name ?? "";
        Changed?.Invoke(path);
    }

    public ExperimentSpec Template => Family?.Defaults() ?? new ExperimentSpec { Family = this[FamilyField] };

    /// <summary>The label sets that apply to the chosen corpus.</summary>
    public IReadOnlyList<LabelSet> LabelSets => Models.Corpora.LabelSets.For(this[CorpusField]);

    public IEnumerable<string> ProblemsFor(string path) =>
        Submitted || edited.Contains(path) ? Problems.Where(p => p.Field == path).Select(p => p.Message) : [];

    /// <summary>Problems of no input on the form (say, of a whole config): the page lists them above the form after a submit.</summary>
    public IEnumerable<SpecProblem> UnplacedProblems =>
        Problems.Where(p => p.Field is not (NameField or SeedList.Field) && fields.All(f => f.Path != p.Field));

    /// <summary>Every value the form holds, by the path of its input, as typed.</summary>
    public IReadOnlyDictionary<string, string> Values => values;

    /// <summary>The form for a new experiment: the family's defaults, the first corpus and its first label set, seed 1.</summary>
    public static ExperimentFormState Defaults(FamilyForm family, IReadOnlyList<string> corpora)
    {
        var spec = family.Defaults();
        var corpus = spec.Corpus is { Length: > 0 } c ? c : corpora.FirstOrDefault() ?? "";
        var labelSet = spec.LabelSet is { Length: > 0 } l ? l : Models.Corpora.LabelSets.For(corpus).FirstOrDefault()?.Name ?? "";
        spec = spec with { Corpus = corpus, LabelSet = labelSet };
        var values = SpecFormField.Of(spec).Where(f => f.Path != SpecSeedPath).ToDictionary(f => f.Path, f => f.Text);
        values[NameField] = "";
        values[SeedList.Field] = SeedList.Format([spec.Seed == 0 ? 1 : spec.Seed]);
        return new ExperimentFormState(family, values, corpora);
    }

    /// <summary>A form with these values (fields not given read as empty), as a script or a test fills it in.</summary>
    public static ExperimentFormState With(IReadOnlyDictionary<string, string> given, IReadOnlyList<string> corpora)
    {
        var values = given.ToDictionary(v => v.Key, v => v.Value);
        return new ExperimentFormState(FamilyForms.Find(values.GetValueOrDefault(FamilyField)), values, corpora);
    }

    /// <summary>
    /// The spec, the seeds and the name the values describe, and every problem with them: text
    /// that is not a number, then the validator's findings for the rest. The spec is null only when
    /// it cannot be built at all.
    /// </summary>
    public ExperimentFormBuild Build()
    {
        var problems = new List<SpecProblem>();
        var template = Template;
        var json = System.Text.Json.JsonSerializer.SerializeToNode(template, ExperimentSpecJson.Options)!.AsObject();
        var unreadable = new HashSet<string>();
        foreach (var field in fields)
        {
            if (field.Optional && this[field.Path].Trim().Length == 0) continue; // left unset, as in the template
            if (Read(field, this[field.Path].Trim(), problems) is { } value) Set(json, field.Path, value);
            else unreadable.Add(field.Path); // the template's value stands in, so the other fields still get checked
        }
        var seeds = SeedList.Parse(this[SeedList.Field], problems);
        json[SpecSeedPath] = seeds.Count > 0 ? seeds[0] : 0;
        var name = this[NameField].Trim();
        if (name.Length == 0) problems.Add(new(NameField, "give the experiment a name"));

        var parsed = ExperimentSpecJson.Parse(json.ToJsonString());
        if (parsed.Spec is not { } spec) return new(null, seeds, name, [.. problems, .. parsed.Problems]);
        problems.AddRange(ExperimentSpecValidator.Validate(spec).Where(p => !unreadable.Contains(p.Field)));
        return new(spec, seeds, name, problems);
    }

    private static JsonNode? Read(SpecFormField field, string text, List<SpecProblem> problems)
    {
        switch (field.Kind)
        {
            case SpecValueKind.Text:
                return JsonValue.Create(text);
            case SpecValueKind.Switch:
                return JsonValue.Create(text is "true" or "on");
            case SpecValueKind.WholeNumber when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole):
                if (whole is >= int.MinValue and <= int.MaxValue) return JsonValue.Create(whole);
                problems.Add(new(field.Path, $"{text} is too large"));
                return null;
            case SpecValueKind.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number):
                return JsonValue.Create(number);
            default:
                problems.Add(new(field.Path, text.Length == 0 ? "required"
                    : field.Kind == SpecValueKind.WholeNumber ? $"'{text}' is not a whole number" : $"'{text}' is not a number (write 0.001 or 1e-3)"));
                return null;
        }
    }

    // The template holds every object on the path, so only the last step is new.
    private static void Set(JsonObject root, string path, JsonNode value)
    {
        var steps = path.Split('.');
        var node = root;
        foreach (var step in steps[..^1]) node = node[step]!.AsObject();
        node[steps[^1]] = value;
    }
}
