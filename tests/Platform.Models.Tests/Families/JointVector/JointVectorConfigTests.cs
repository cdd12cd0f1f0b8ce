using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.JointVector;

namespace EmotionLab.Models.Tests.Families.JointVector;

public sealed class JointVectorConfigTests
{
    private static ExperimentSpec Spec(string task, string modalities, JointVectorConfig config) =>
        JointVectorGridTemplates.BaseSpec("emosynth", task) with { Modalities = modalities, Seed = 1, JointVector = config };

    [Theory]
    [InlineData("erc", "text")]
    [InlineData("erc", "audio")]
    [InlineData("erc", "text+audio")]
    [InlineData("epc", "text")]
    [InlineData("epc", "audio")]
    [InlineData("epc", "text+audio")]
    public void The_defaults_are_the_full_model_with_the_papers_settings_and_run_on_every_task_and_modality(string task, string modalities)
    {
        var config = new JointVectorConfig();
        Assert.Empty(ExperimentSpecValidator.Validate(Spec(task, modalities, config)));
        Assert.True(config is { UseKwrt: true, UseProsodyEnhancement: true, UseTmf: true, UseJfm: true, UseJointVector: true, UseIcl: true, Fusion: "jfm", Blocks: 2, JointVectorLength: 4, ExtractorLayers: 2 });
        var spec = JointVectorGridTemplates.BaseSpec("emosynth", task);
        Assert.Equal(("adam", 1e-4, 32), (spec.Optimizer, spec.LearningRate, spec.BatchSize));
        Assert.Equal(task == "epc" ? ["UA", "MacroF1"] : new[] { "WA", "WeightedF1" }, JointVectorConfig.MetricsFor(task));
    }

    /// <summary>A config change, the modalities, the field the problem is reported on and a piece of its message.</summary>
    public static TheoryData<string, string, string, string> Invalid => new()
    {
        { "blocks=0", "text+audio", "jointVector.blocks", "must be in 1..5, got 0" },
        { "blocks=6", "text+audio", "jointVector.blocks", "must be in 1..5, got 6" },
        { "jointVectorLength=0", "text+audio", "jointVector.jointVectorLength", "must be in 1..32, got 0" },
        { "jointVectorLength=33", "text+audio", "jointVector.jointVectorLength", "must be in 1..32, got 33" },
        { "fusion=sum", "text+audio", "jointVector.fusion", "unknown fusion 'sum'; one of jfm, cfa, concat" },
        { "iclWeight=-1", "text+audio", "jointVector.iclWeight", "must be zero or positive" },
        { "iclTemperature=0", "text+audio", "jointVector.iclTemperature", "must be a positive number" },
        { "contextWindow=0", "text+audio", "jointVector.contextWindow", "must be in 1..50" },
        { "patchSize=12", "text+audio", "jointVector.patchSize", "must divide the 80 mel bins" },
        { "heads=3", "text+audio", "jointVector.heads", "divide hiddenSize 64" },
        { "dropout=1", "text+audio", "jointVector.dropout", "must be in [0, 1)" },
        { "extractorLayers=0", "text+audio", "jointVector.extractorLayers", "must be in 1..6" },
        { "kwrtRelationsPerWord=0", "text+audio", "jointVector.kwrtRelationsPerWord", "must be at least 1" },
        { "prosodyFrameStride=0", "text+audio", "jointVector.prosodyFrameStride", "must be at least 1" },
        { "text.heads=3", "text+audio", "jointVector.text.heads", "divide size 64" },
        { "audio.maxLength=8", "text+audio", "jointVector.audio.maxLength", "at least one patch of 16 frames" },
        { "fusion=cfa", "text", "jointVector.fusion", "with modalities 'text' there is no audio to fuse" },
        { "fusion=concat", "text", "jointVector.fusion", "with modalities 'text' there is no audio to fuse" },
        { "useJointVector=false", "text", "jointVector.useJointVector", "with modalities 'text' there is no audio" },
        { "useJfm=false", "text", "jointVector.useJfm", "with modalities 'text' there is no audio" },
        { "useTmf=false", "text", "jointVector.useTmf", "with modalities 'text' there is no audio" },
        { "useProsodyEnhancement=false", "text", "jointVector.useProsodyEnhancement", "with modalities 'text' there is no audio" },
        { "useKwrt=false", "audio", "jointVector.useKwrt", "with modalities 'audio' there is no text to tag" },
        { "useJointVector=false fusion=cfa", "text+audio", "jointVector.useJointVector", "joint vectors exist only in fusion 'jfm'" },
        { "useJointVector=false fusion=concat", "audio", "jointVector.useJointVector", "joint vectors exist only in fusion 'jfm'" },
        { "useJfm=false fusion=cfa", "text+audio", "jointVector.useJfm", "w/o JFM (useJfm false) already replaces the fusion module" },
        { "useJfm=false useJointVector=false", "text+audio", "jointVector.useJointVector", "which has no joint vectors" },
        { "useTmf=false useJfm=false", "text+audio", "jointVector.useJfm", "w/o TMF (useTmf false) already removes the mel-spectrogram fusion" },
        { "useTmf=false fusion=concat", "text+audio", "jointVector.fusion", "no fusion method to pick" },
        { "useTmf=false useJointVector=false", "audio", "jointVector.useJointVector", "w/o TMF (useTmf false) already removes" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_value_or_combination_is_rejected_with_a_message_naming_the_field(string change, string modalities, string field, string message)
    {
        var spec = Spec("erc", modalities, Apply(new JointVectorConfig(), change));
        var problem = Assert.Single(ExperimentSpecValidator.Validate(spec));
        Assert.Equal(field, problem.Field);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void The_spec_json_round_trips_the_config_and_a_null_sub_config_is_a_problem_not_a_crash()
    {
        var spec = Spec("epc", "text+audio", new JointVectorConfig { Fusion = "cfa", Blocks = 3, UseIcl = false });
        var parsed = ExperimentSpecJson.ParseAndValidate(ExperimentSpecJson.Serialize(spec));
        Assert.Equal(spec, parsed.Spec);
        Assert.Contains("\"jointVector\"", ExperimentSpecJson.Serialize(spec));

        var problems = ExperimentSpecValidator.Validate(spec with { JointVector = new JointVectorConfig { Text = null! } });
        Assert.Equal("jointVector.text", Assert.Single(problems).Field);
        Assert.Equal("jointVector", Assert.Single(ExperimentSpecValidator.Validate(spec with { JointVector = null })).Field);
    }

    [Fact]
    public void Each_grid_template_expands_into_valid_variants_that_differ_from_the_reference_in_its_rows_only()
    {
        var names = JointVectorGridTemplates.All.Select(t => t.Name).ToArray();
        Assert.Equal(["jointvector-epc-modules", "jointvector-erc-modules", "jointvector-fusion", "jointvector-modalities", "jointvector-epc-modalities", "jointvector-blocks", "jointvector-vector-length"], names);
        Assert.All(names, n => Assert.NotNull(GridTemplates.Find(n)));

        var expected = new Dictionary<string, string[]>
        {
            ["jointvector-epc-modules"] = ["full", "w/o KWRT", "w/o PE", "w/o TMF"],
            ["jointvector-erc-modules"] = ["full", "w/o JFM", "w/o joint vector", "w/o ICL"],
            ["jointvector-fusion"] = ["jfm", "cfa", "concat"],
            ["jointvector-modalities"] = ["T", "A", "T+A"],
            ["jointvector-epc-modalities"] = ["T", "A", "T+A"],
            ["jointvector-blocks"] = ["1", "2", "3", "4", "5"],
            ["jointvector-vector-length"] = ["1", "2", "4", "8", "16", "24", "32"],
        };
        foreach (var template in JointVectorGridTemplates.All)
        {
            Assert.Equal(FamilyCatalog.JointVector, template.Family);
            var (variants, problems) = GridExpansion.Expand(template.BaseSpecFor("emosynth") with { Seed = 1 }, template.Axes);
            Assert.Empty(problems);
            Assert.Equal(expected[template.Name], variants.Select(v => v.Name));
            var reference = Assert.Single(variants, v => v.Name == template.ReferenceVariant).Spec;
            // The reference row is the full model with the papers' choices (N = 2, length 4, text+audio).
            Assert.Equal(new JointVectorConfig(), reference.JointVector);
            Assert.Equal(Modalities.TextAudio, reference.Modalities);
            Assert.Equal(template.Name.Contains("epc") ? ExperimentTasks.Epc : ExperimentTasks.Erc, reference.Task);
            Assert.Equal(variants.Count, variants.Select(v => v.Spec).Distinct().Count());
        }

        var epc = GridExpansion.Expand(JointVectorGridTemplates.EpcModules.BaseSpecFor("emosynth"), JointVectorGridTemplates.EpcModules.Axes).Variants;
        Assert.False(epc.Single(v => v.Name == "w/o KWRT").Spec.JointVector!.UseKwrt);
        Assert.False(epc.Single(v => v.Name == "w/o PE").Spec.JointVector!.UseProsodyEnhancement);
        Assert.False(epc.Single(v => v.Name == "w/o TMF").Spec.JointVector!.UseTmf);
        var erc = GridExpansion.Expand(JointVectorGridTemplates.ErcModules.BaseSpecFor("emosynth"), JointVectorGridTemplates.ErcModules.Axes).Variants;
        Assert.Equal(new JointVectorConfig { UseJfm = false }, erc.Single(v => v.Name == "w/o JFM").Spec.JointVector);
        Assert.Equal(new JointVectorConfig { UseJointVector = false }, erc.Single(v => v.Name == "w/o joint vector").Spec.JointVector);
        Assert.Equal(new JointVectorConfig { UseIcl = false }, erc.Single(v => v.Name == "w/o ICL").Spec.JointVector);
    }

    // "field=value field=value" applied to the config's JSON form, as the web form and grids do.
    private static JointVectorConfig Apply(JointVectorConfig config, string change)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(config, ExperimentSpecJson.Options)!.AsObject();
        foreach (var assignment in change.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (path, value) = (assignment[..assignment.IndexOf('=')], assignment[(assignment.IndexOf('=') + 1)..]);
            var parts = path.Split('.');
            var target = node;
            foreach (var part in parts[..^1]) target = target[part]!.AsObject();
            target[parts[^1]] = value is "true" or "false" ? bool.Parse(value) : double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number)
                ? (number == Math.Floor(number) && !value.Contains('.') ? System.Text.Json.Nodes.JsonValue.Create((int)number) : System.Text.Json.Nodes.JsonValue.Create(number))
                : System.Text.Json.Nodes.JsonValue.Create(value);
        }
        return System.Text.Json.JsonSerializer.Deserialize<JointVectorConfig>(node, ExperimentSpecJson.Options)!;
    }
}
