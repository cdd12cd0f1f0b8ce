namespace EmotionLab.Data.Entities;

/// <summary>One training run of an experiment with one seed.</summary>
public sealed class Run
{
    public long Id { get; set; }
    public long ExperimentId { get; set; }
    public Experiment? Experiment { get; set; }
    /// <summary>Denormalised from the experiment so the runs list filters without joins.</summary>
    public long? GridId { get; set; }
    public required string Family { get; set; }
    public long CorpusId { get; set; }
    /// <summary>The grid variant's name (its axis values), empty for a single experiment.</summary>
    public string Variant { get; set; } = "";
    public int Seed { get; set; }
    public RunStatus Status { get; set; } = RunStatus.Queued;
    /// <summary>1 for the first execution; a retry or a recovery on another node adds one.</summary>
    public int Attempt { get; set; }
    public string? Node { get; set; }
    public string? Device { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>Set by the web app; the trainer checks it every few steps.</summary>
    public bool CancelRequested { get; set; }
    /// <summary>0..1, updated by the trainer.</summary>
    public double Progress { get; set; }
    public int? BestEpoch { get; set; }
    public string? Error { get; set; }
    public string? CodeVersion { get; set; }
    public string? CorpusHash { get; set; }
    public string? SpecHash { get; set; }
    /// <summary>Where the trainer's log file is (under the artifact root).</summary>
    public string? LogPath { get; set; }
    /// <summary>The Hangfire job of the run's latest time on the queue (its first queueing or a retry); shown on the dashboard at /hangfire.</summary>
    public string? QueueJob { get; set; }
}

/// <summary>Training loss of one optimizer step; (run, step) is the key, so a resumed run cannot duplicate it.</summary>
public sealed class StepLoss
{
    public long RunId { get; set; }
    public int Step { get; set; }
    public int Epoch { get; set; }
    public double Loss { get; set; }
    public double LearningRate { get; set; }
}

/// <summary>Scores of one epoch on one split (train, validation, test), all derived from one confusion matrix.</summary>
public sealed class EpochMetric
{
    public long RunId { get; set; }
    public int Epoch { get; set; }
    public required string Split { get; set; }
    public double Loss { get; set; }
    /// <summary>Weighted accuracy: plain accuracy.</summary>
    public double WA { get; set; }
    /// <summary>Unweighted accuracy: mean per-class recall.</summary>
    public double UA { get; set; }
    public double WeightedF1 { get; set; }
    public double MacroF1 { get; set; }
    public double[] Precision { get; set; } = [];
    public double[] Recall { get; set; } = [];
    public double[] F1 { get; set; } = [];
    /// <summary>Answers that named no label (an LLM family generating its answers), counted as wrong; null for families that always predict a label.</summary>
    public int? Unparsed { get; set; }
}

/// <summary>The confusion matrix of one epoch on one split: rows are true labels, columns predictions.</summary>
public sealed class ConfusionMatrixRow
{
    public long RunId { get; set; }
    public int Epoch { get; set; }
    public required string Split { get; set; }
    public string[] Labels { get; set; } = [];
    /// <summary>Row-major counts, Labels.Length squared.</summary>
    public int[] Counts { get; set; } = [];
    /// <summary>Unparsed answers per true label (they are in no column of Counts); null for families that always predict a label.</summary>
    public int[]? Unparsed { get; set; }
}

/// <summary>A file a run or an export produced, under the artifact root.</summary>
public sealed class Artifact
{
    public long Id { get; set; }
    public long? RunId { get; set; }
    /// <summary>checkpoint, predictions, export, features.</summary>
    public required string Kind { get; set; }
    public required string Path { get; set; }
    public required string Sha256 { get; set; }
    public long Bytes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A worker node of the cluster as it last described itself; whether it is alive is Hangfire's server list.</summary>
public sealed class WorkerNode
{
    public required string Name { get; set; }
    public int Slots { get; set; }
    public string[] Devices { get; set; } = [];
    public required string Version { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset HeartbeatAt { get; set; }
}
