using System.Text.Json.Nodes;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Families.EmoQ;

/// <summary>
/// The grids behind the EmoQ paper's ablations (each over the grid's seeds): the input modality and
/// alignment of Table 4, MAL's terms of Table 5, stage-1 pre-training of Table 6, and the label
/// sets of Tables 2-3 (MELD 4- and 7-class), IEMOCAP's five leave-one-session-out folds of Table 1,
/// and the emotion-word weight of eq. (7). The base spec has the paper's optimisation (AdamW
/// 1e-5, batch 8; the paper gives no epochs, schedule or early stopping, so 10 epochs, a constant
/// rate and patience 3) and defaults; the lab's model folders are fields of the spec (emoQ.llm,
/// emoQ.audio.model, emoQ.former.model), set with `submit --set` or on the form. A grid whose
/// variants share a stage-1 spec trains stage 1 once per seed (<see cref="Stage1Results"/>).
/// </summary>
public static class EmoQGridTemplates
{
    public static GridTemplate Modality { get; } = new(
        "emoq-modality",
        FamilyCatalog.EmoQ,
        "EmoQ's input modality and alignment (Table 4): audio only, text only, audio + text without the EmoQ-Former (concatenated projections), the full model.",
        BaseSpec,
        [new GridAxis("input", [
            Row("audio only", ("emoQ.input", EmoQConfig.AudioInput), ("modalities", Modalities.Audio)),
            // Text only has no bridge, so nothing for stage 1 to pre-train.
            Row("text only", ("emoQ.input", EmoQConfig.TextInput), ("modalities", Modalities.Text), ("emoQ.stage1", false)),
            Row("audio + text, no EmoQ-Former", ("emoQ.input", EmoQConfig.ConcatInput), ("modalities", Modalities.TextAudio)),
            Row("full", ("emoQ.input", EmoQConfig.FormerInput), ("modalities", Modalities.TextAudio)),
        ])],
        "full");

    public static GridTemplate Mal { get; } = new(
        "emoq-mal",
        FamilyCatalog.EmoQ,
        "EmoQ's multi-objective affective learning (Table 5): stage 1 on cross-entropy, focal loss alone, SCL + cross-entropy, SCL + focal loss.",
        BaseSpec,
        [new GridAxis("mal", [
            Row("neither", ("emoQ.scl", false), ("emoQ.focal", false)),
            Row("focal", ("emoQ.scl", false), ("emoQ.focal", true)),
            Row("SCL", ("emoQ.scl", true), ("emoQ.focal", false)),
            Row("SCL + focal", ("emoQ.scl", true), ("emoQ.focal", true)),
        ])],
        "SCL + focal");

    public static GridTemplate Stages { get; } = new(
        "emoq-stages",
        FamilyCatalog.EmoQ,
        "EmoQ's two-stage training (Table 6): end to end, or stage 1 (the EmoQ-Former with an auxiliary head on MAL) before stage 2.",
        BaseSpec,
        [new GridAxis("stage1", [
            Row("end to end", ("emoQ.stage1", false)),
            Row("two-stage", ("emoQ.stage1", true)),
        ])],
        "two-stage");

    public static GridTemplate LabelSetAxis { get; } = new(
        "emoq-label-sets",
        FamilyCatalog.EmoQ,
        "EmoQ on MELD's 4-class subset (neutral, anger, sadness, joy; Table 2) and its 7 classes (Table 3).",
        BaseSpec,
        [new GridAxis("labelSet", [
            Row("4-class", ("labelSet", LabelSets.Meld4.Name)),
            Row("7-class", ("labelSet", LabelSets.Meld7.Name)),
        ])],
        "7-class");

    public static GridTemplate IemocapFolds { get; } = new(
        "emoq-iemocap-folds",
        FamilyCatalog.EmoQ,
        "EmoQ on IEMOCAP's 4 classes (Table 1) by leave-one-session-out: each of the five sessions is the test split once; the table reports the mean over folds.",
        BaseSpec, // IEMOCAP's first label set is its 4 classes
        [GridAxis.Folds(5)],
        "fold 1");

    /// <summary>A stage-2 axis: its variants share one stage-1 spec, so each seed's stage 1 trains once for the whole grid.</summary>
    public static GridTemplate EmotionWordWeight { get; } = new(
        "emoq-emotion-weight",
        FamilyCatalog.EmoQ,
        "The emotion-word weight w of eq. (7) as a sensitivity axis (the paper says only 'a high value'); the variants share stage 1.",
        BaseSpec,
        [GridAxis.Over("emoQ.emotionWordWeight", [1, 2, 5, 10])],
        "2");

    public static IReadOnlyList<GridTemplate> All { get; } = [Modality, Mal, Stages, LabelSetAxis, IemocapFolds, EmotionWordWeight];

    private static ExperimentSpec BaseSpec(string corpus) => new()
    {
        Family = FamilyCatalog.EmoQ,
        Corpus = corpus,
        LabelSet = LabelSets.For(corpus).FirstOrDefault()?.Name ?? "",
        Modalities = Modalities.TextAudio,
        Optimizer = OptimizerNames.AdamW,
        LearningRate = 1e-5,
        WeightDecay = 0.01,
        BatchSize = 8,
        Epochs = 10,
        Patience = 3,
        EmoQ = new EmoQConfig(),
    };

    private static GridAxisValue Row(string label, params (string Field, JsonNode Value)[] settings) =>
        new(label, settings.ToDictionary(s => s.Field, s => (JsonNode?)s.Value));
}
