using System.Text.Json;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;

namespace EmotionLab.Web.Api;

/// <summary>The scores object of the API: {split, epoch, wa, ua, weightedF1, macroF1}.</summary>
public sealed record ScoresJson(string Split, int Epoch, double Wa, double Ua, double WeightedF1, double MacroF1);

/// <summary>A run as /api/runs lists it.</summary>
public sealed record RunJson(
    long Id, long ExperimentId, string Experiment, string Family, long Corpus, long? Grid, string Variant, int Seed, RunStatus Status,
    double Progress, string? Node, string? Device, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    ScoresJson? Metrics, double? TestWeightedF1AtBestEpoch, string? Owner, string? Project)
{
    public static RunJson From(RunListItem r) => new(
        r.Id, r.ExperimentId, r.ExperimentName, r.Family, r.CorpusId, r.GridId, r.Variant, r.Seed, r.Status, r.Progress, r.Node, r.Device,
        r.QueuedAt, r.StartedAt, r.FinishedAt,
        r.LatestScores is { } s ? new ScoresJson(s.Split, s.Epoch, s.WA, s.UA, s.WeightedF1, s.MacroF1) : null,
        r.TestWeightedF1AtBestEpoch, r.OwnerName, r.ProjectName);
}

/// <summary>One page of /api/runs; next is the URL of the following page, null on the last.</summary>
public sealed record RunPageJson(IReadOnlyList<RunJson> Runs, long? NextBefore, string? Next);

/// <summary>A run as /api/runs/{id} shows it, with its spec as a JSON object.</summary>
public sealed record RunDetailRunJson(
    long Id, long ExperimentId, string Experiment, string Family, long Corpus, long? Grid, string? GridName, string Variant, int Seed,
    RunStatus Status, int Attempt, double Progress, string? Node, string? Device, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, int? BestEpoch, string? Error, string? SpecHash, string? CorpusHash, string? CodeVersion, JsonElement Spec);

/// <param name="Unparsed">answers that named no label (a family generating its answers); null when every prediction is a label</param>
public sealed record EpochJson(int Epoch, string Split, double Loss, double Wa, double Ua, double WeightedF1, double MacroF1, double[] Precision, double[] Recall, double[] F1, int? Unparsed);

/// <summary>Rows are true labels, columns predictions; counts are row-major; Unparsed counts per true label the answers in no column.</summary>
public sealed record ConfusionMatrixJson(int Epoch, string Split, string[] Labels, int[] Counts, int[]? Unparsed);

public sealed record RunDetailJson(RunDetailRunJson Run, IReadOnlyList<EpochJson> Epochs, IReadOnlyList<ConfusionMatrixJson> ConfusionMatrices)
{
    public static RunDetailJson From(RunDetail d)
    {
        var r = d.Run;
        using var spec = JsonDocument.Parse(d.Experiment.SpecJson);
        var run = new RunDetailRunJson(
            r.Id, r.ExperimentId, d.Experiment.Name, r.Family, r.CorpusId, r.GridId, d.GridName, r.Variant, r.Seed, r.Status, r.Attempt, r.Progress,
            r.Node, r.Device, r.QueuedAt, r.StartedAt, r.FinishedAt, r.BestEpoch, r.Error, r.SpecHash, r.CorpusHash, r.CodeVersion, spec.RootElement.Clone());
        return new RunDetailJson(
            run,
            d.Epochs.Select(m => new EpochJson(m.Epoch, m.Split, m.Loss, m.WA, m.UA, m.WeightedF1, m.MacroF1, m.Precision, m.Recall, m.F1, m.Unparsed)).ToList(),
            d.ConfusionMatrices.Select(m => new ConfusionMatrixJson(m.Epoch, m.Split, m.Labels, m.Counts, m.Unparsed)).ToList());
    }
}

public sealed record StepLossJson(int Step, int Epoch, double Loss, double LearningRate);

/// <summary>What POST /api/runs/{id}/cancel or /retry left: the run's status (Canceled, or still Running with its cancel flag set; Queued).</summary>
public sealed record RunActionJson(long Id, RunStatus Status);
