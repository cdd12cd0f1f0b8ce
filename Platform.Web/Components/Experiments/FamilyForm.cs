using EmotionLab.Models.Experiments;

namespace EmotionLab.Web.Components.Experiments;

/// <summary>
/// What the New experiment form needs to know about one family: the component that renders its
/// config section (a component with an ExperimentFormState State parameter, in Families/) and the
/// spec the form starts from, with the paper's defaults for the family's config and hyperparameters.
/// </summary>
public sealed record FamilyForm(string Family, Type ConfigSection, Func<ExperimentSpec> Defaults);
