using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Families.Bcaf;
using EmotionLab.Models.Families.Eaa;
using EmotionLab.Models.Families.EmoQ;
using EmotionLab.Models.Families.JointVector;
using EmotionLab.Web.Components.Experiments.Families;

namespace EmotionLab.Web.Components.Experiments;

/// <summary>
/// The families the form can configure. A family that becomes available adds its line here and
/// its config section component; FamilyCatalog still decides which families may run.
/// </summary>
public static class FamilyForms
{
    public static IReadOnlyList<FamilyForm> All { get; } =
    [
        new(FamilyCatalog.Baselines, typeof(BaselinesConfigSection), () => new ExperimentSpec { Family = FamilyCatalog.Baselines, Baselines = new BaselinesConfig() }),
        new(FamilyCatalog.Bcaf, typeof(BcafConfigSection), () => new ExperimentSpec
        {
            Family = FamilyCatalog.Bcaf, Modalities = Modalities.TextAudio, LearningRate = 1e-4, WeightDecay = 1e-4, Patience = 15, Bcaf = new BcafConfig(),
        }),
        new(FamilyCatalog.JointVector, typeof(JointVectorConfigSection), () => new ExperimentSpec { Family = FamilyCatalog.JointVector, Optimizer = OptimizerNames.Adam, LearningRate = 1e-4, BatchSize = 32, Modalities = Modalities.TextAudio, JointVector = new JointVectorConfig() }),
        new(FamilyCatalog.Eaa, typeof(EaaConfigSection), () => EaaGridTemplates.Context.BaseSpecFor("") with { Corpus = "", LabelSet = "" }),
        new(FamilyCatalog.EmoQ, typeof(EmoQConfigSection), () => EmoQGridTemplates.Modality.BaseSpecFor("") with { Corpus = "", LabelSet = "" }),
    ];

    public static FamilyForm? Find(string? family) => All.FirstOrDefault(f => f.Family == family);

    /// <summary>The form a new experiment starts with: the first family that is available.</summary>
    public static FamilyForm Default => All.First(f => FamilyCatalog.Find(f.Family)?.Available == true);
}
