using System.Text.Json.Nodes;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// The papers' tables as grids (each run over the seeds the grid is submitted with): EPC Table 3
/// module ablations, ERC Table 2 module ablations, ERC Table 3 fusion methods, the modality rows of
/// both papers' Table 1/2, and Fig. 3's sweeps over N blocks and joint-vector length. Each starts
/// from the full model with the papers' optimisation (Adam 1e-4, batch 32, text+audio) on the
/// corpus's first label set; the reference row is the full model (N = 2, length 4).
/// </summary>
public static class JointVectorGridTemplates
{
    public const string Full = "full";

    public static GridTemplate EpcModules { get; } = new(
        "jointvector-epc-modules", FamilyCatalog.JointVector,
        "EPC ablation (EPC paper Table 3): the full model, w/o KWRT, w/o PE, w/o TMF. Read UAR and macro F1.",
        corpus => BaseSpec(corpus, ExperimentTasks.Epc),
        [new GridAxis("module", [Row(Full), Row("w/o KWRT", ("useKwrt", false)), Row("w/o PE", ("useProsodyEnhancement", false)), Row("w/o TMF", ("useTmf", false))])],
        Full);

    public static GridTemplate ErcModules { get; } = new(
        "jointvector-erc-modules", FamilyCatalog.JointVector,
        "ERC ablation (joint-vector paper Table 2): the full model, w/o JFM, w/o joint vector, w/o ICL. Read accuracy and weighted F1.",
        corpus => BaseSpec(corpus, ExperimentTasks.Erc),
        [new GridAxis("module", [Row(Full), Row("w/o JFM", ("useJfm", false)), Row("w/o joint vector", ("useJointVector", false)), Row("w/o ICL", ("useIcl", false))])],
        Full);

    public static GridTemplate FusionMethods { get; } = new(
        "jointvector-fusion", FamilyCatalog.JointVector,
        "ERC fusion methods (joint-vector paper Table 3): JFM, CFA, concatenation. Read accuracy and weighted F1.",
        corpus => BaseSpec(corpus, ExperimentTasks.Erc),
        [GridAxis.Over("jointVector.fusion", JointVectorConfig.Fusions.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray())],
        JointVectorConfig.JfmFusion);

    public static GridTemplate ErcModalities { get; } = new(
        "jointvector-modalities", FamilyCatalog.JointVector,
        "ERC by modality (both papers' ERC tables): text, audio, text+audio. Read accuracy and weighted F1.",
        corpus => BaseSpec(corpus, ExperimentTasks.Erc),
        [ModalityAxis()],
        "T+A");

    public static GridTemplate EpcModalities { get; } = new(
        "jointvector-epc-modalities", FamilyCatalog.JointVector,
        "EPC by modality (EPC paper Table 1): text, speech, text+speech. Read UAR and macro F1.",
        corpus => BaseSpec(corpus, ExperimentTasks.Epc),
        [ModalityAxis()],
        "T+A");

    public static GridTemplate BlockSweep { get; } = new(
        "jointvector-blocks", FamilyCatalog.JointVector,
        "ERC with N = 1..5 JF blocks (joint-vector paper Fig. 3a); the paper picks 2.",
        corpus => BaseSpec(corpus, ExperimentTasks.Erc),
        [GridAxis.Over("jointVector.blocks", Enumerable.Range(1, 5).Select(n => (JsonNode)JsonValue.Create(n)).ToArray())],
        "2");

    public static GridTemplate VectorLengthSweep { get; } = new(
        "jointvector-vector-length", FamilyCatalog.JointVector,
        "ERC with joint vectors of length 1, 2, 4, 8, 16, 24, 32 (joint-vector paper Fig. 3b); the paper picks 4.",
        corpus => BaseSpec(corpus, ExperimentTasks.Erc),
        [GridAxis.Over("jointVector.jointVectorLength", new[] { 1, 2, 4, 8, 16, 24, 32 }.Select(n => (JsonNode)JsonValue.Create(n)).ToArray())],
        "4");

    public static IReadOnlyList<GridTemplate> All { get; } = [EpcModules, ErcModules, FusionMethods, ErcModalities, EpcModalities, BlockSweep, VectorLengthSweep];

    /// <summary>The full model with the papers' optimisation on the corpus's first label set.</summary>
    public static ExperimentSpec BaseSpec(string corpus, string task) => new()
    {
        Family = FamilyCatalog.JointVector,
        Corpus = corpus,
        LabelSet = LabelSets.For(corpus).FirstOrDefault()?.Name ?? "",
        Task = task,
        Modalities = Modalities.TextAudio,
        Optimizer = OptimizerNames.Adam,
        LearningRate = 1e-4,
        BatchSize = 32,
        JointVector = new JointVectorConfig(),
    };

    private static GridAxisValue Row(string label, params (string Field, bool Value)[] switches) =>
        new(label, switches.ToDictionary(s => "jointVector." + s.Field, s => (JsonNode?)JsonValue.Create(s.Value)));

    private static GridAxis ModalityAxis() => new("modalities",
    [
        new GridAxisValue("T", new Dictionary<string, JsonNode?> { ["modalities"] = Modalities.Text }),
        new GridAxisValue("A", new Dictionary<string, JsonNode?> { ["modalities"] = Modalities.Audio }),
        new GridAxisValue("T+A", new Dictionary<string, JsonNode?> { ["modalities"] = Modalities.TextAudio }),
    ]);
}
