using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Experiments;

/// <summary>
/// Checks a spec field by field and returns every problem (empty when the spec can run); bad
/// user input never throws. Family-specific checks live in each family's config.
/// </summary>
public static class ExperimentSpecValidator
{
    public static IReadOnlyList<SpecProblem> Validate(ExperimentSpec spec)
    {
        var problems = new List<SpecProblem>();
        var family = FamilyCatalog.Find(spec.Family);
        if (family is null)
            problems.Add(new("family", $"unknown family '{spec.Family}'; one of {string.Join(", ", FamilyCatalog.All.Select(f => f.Name))}"));
        else if (!family.Available)
            problems.Add(new("family", $"family '{spec.Family}' is not available yet; available: {string.Join(", ", FamilyCatalog.All.Where(f => f.Available).Select(f => f.Name))}"));

        ValidateData(spec, family, problems);
        ValidateOptimisation(spec, problems);
        ValidateFamilyConfig(spec, problems);
        return problems;
    }

    private static void ValidateData(ExperimentSpec spec, FamilyInfo? family, List<SpecProblem> problems)
    {
        var labelSets = LabelSets.For(spec.Corpus ?? "");
        if (string.IsNullOrWhiteSpace(spec.Corpus))
            problems.Add(new("corpus", "required (meld, iemocap or emosynth)"));
        else if (labelSets.Count == 0)
            problems.Add(new("corpus", $"no label sets are known for corpus '{spec.Corpus}'"));
        else if (!labelSets.Any(s => s.Name == spec.LabelSet))
            problems.Add(new("labelSet", $"'{spec.LabelSet}' is not a label set of corpus '{spec.Corpus}'; one of {string.Join(", ", labelSets.Select(s => s.Name))}"));

        if (spec.TestFold is < 1)
            problems.Add(new("testFold", $"a fold number is 1 or more (IEMOCAP's sessions 1-5), got {spec.TestFold}; leave it empty for the corpus's own split"));

        if (!ExperimentTasks.All.Contains(spec.Task))
            problems.Add(new("task", $"unknown task '{spec.Task}'; one of {string.Join(", ", ExperimentTasks.All)}"));
        else if (family is not null && !family.Tasks.Contains(spec.Task))
            problems.Add(new("task", $"family '{family.Name}' does not support task '{spec.Task}'; it supports {string.Join(", ", family.Tasks)}"));

        if (!Modalities.All.Contains(spec.Modalities))
            problems.Add(new("modalities", $"unknown modalities '{spec.Modalities}'; one of {string.Join(", ", Modalities.All)}"));
    }

    private static void ValidateOptimisation(ExperimentSpec spec, List<SpecProblem> problems)
    {
        if (spec.Epochs < 1) problems.Add(new("epochs", $"must be at least 1, got {spec.Epochs}"));
        if (spec.BatchSize < 1) problems.Add(new("batchSize", $"must be at least 1, got {spec.BatchSize}"));
        if (!OptimizerNames.All.Contains(spec.Optimizer))
            problems.Add(new("optimizer", $"unknown optimizer '{spec.Optimizer}'; one of {string.Join(", ", OptimizerNames.All)}"));
        if (!(spec.LearningRate > 0) || double.IsInfinity(spec.LearningRate))
            problems.Add(new("learningRate", $"must be a positive number, got {spec.LearningRate}"));
        if (!(spec.WeightDecay >= 0) || double.IsInfinity(spec.WeightDecay))
            problems.Add(new("weightDecay", $"must be zero or positive, got {spec.WeightDecay}"));
        if (spec.GradientAccumulation < 1) problems.Add(new("gradientAccumulation", $"must be at least 1 batch per optimizer step, got {spec.GradientAccumulation}"));
        if (!(spec.MaxGradientNorm >= 0) || double.IsInfinity(spec.MaxGradientNorm))
            problems.Add(new("maxGradientNorm", $"must be zero (no clipping) or positive, got {spec.MaxGradientNorm}"));
        if (!LearningRateSchedules.All.Contains(spec.Schedule))
            problems.Add(new("schedule", $"unknown schedule '{spec.Schedule}'; one of {string.Join(", ", LearningRateSchedules.All)}"));
        if (spec.WarmupFraction is < 0 or >= 1 || double.IsNaN(spec.WarmupFraction))
            problems.Add(new("warmupFraction", $"must be in [0, 1) of the planned steps, got {spec.WarmupFraction}"));
        if (spec.DecayEveryEpochs < 1) problems.Add(new("decayEveryEpochs", $"must be at least 1, got {spec.DecayEveryEpochs}"));
        if (!(spec.DecayFactor > 0) || spec.DecayFactor > 1) problems.Add(new("decayFactor", $"must be in (0, 1], got {spec.DecayFactor}"));
        if (spec.Patience < 1) problems.Add(new("patience", $"must be at least 1 epoch, got {spec.Patience}"));
        if (!Precisions.All.Contains(spec.Precision))
            problems.Add(new("precision", $"unknown precision '{spec.Precision}'; one of {string.Join(", ", Precisions.All)}"));
        if (spec.Device is { } device && !DeviceKinds.All.Contains(device))
            problems.Add(new("device", $"unknown device kind '{device}'; one of {string.Join(", ", DeviceKinds.All)}, or leave it out for any node"));
    }

    // Exactly the config of the spec's family is set; configs of other families are a mistake.
    private static void ValidateFamilyConfig(ExperimentSpec spec, List<SpecProblem> problems)
    {
        foreach (var family in FamilyCatalog.All)
        {
            var config = family.ConfigOf(spec);
            if (family.Name != spec.Family)
            {
                if (config is not null) problems.Add(new(family.ConfigField, $"only for family '{family.Name}', but family is '{spec.Family}'"));
            }
            else if (config is not null) config.Validate(spec, problems);
            else if (family.Available) problems.Add(new(family.ConfigField, $"required for family '{family.Name}'"));
        }
    }
}
