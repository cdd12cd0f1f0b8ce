using EmotionLab.Models.Families.Baselines;
using EmotionLab.Models.Families.Bcaf;
using EmotionLab.Models.Families.Eaa;
using EmotionLab.Models.Families.EmoQ;
using EmotionLab.Models.Families.JointVector;

namespace EmotionLab.Models.Experiments;

/// <summary>
/// What one run is: the family and its config, the data (corpus, label set, task, modalities)
/// and the optimisation settings. Names are plain strings so a spec typed by a user always
/// parses and <see cref="ExperimentSpecValidator"/> can say what is wrong field by field.
/// Each family has its own config property (only the one of <see cref="Family"/> is set), so
/// every config stays a typed record in its family's folder.
/// </summary>
public sealed record ExperimentSpec
{
    /// <summary>baselines, bcaf, jointvector, eaa or emoq (<see cref="FamilyCatalog"/>).</summary>
    public string Family { get; init; } = FamilyCatalog.Baselines;

    /// <summary>Corpus name as imported: meld, iemocap, emosynth.</summary>
    public string Corpus { get; init; } = "";

    /// <summary>A label set that applies to the corpus (LabelSets.For).</summary>
    public string LabelSet { get; init; } = "";

    public string Task { get; init; } = ExperimentTasks.Erc;

    /// <summary>text, audio or text+audio.</summary>
    public string Modalities { get; init; } = Experiments.Modalities.TextAudio;

    /// <summary>
    /// Leave-one-fold-out: the corpus fold (IEMOCAP's session, 1..5) held out as the test split, the
    /// other folds trained and validated on (<see cref="Corpora.Corpus.HoldingOutFold"/>). Null: the
    /// corpus's own split. A grid over it reports the mean over folds.
    /// </summary>
    public int? TestFold { get; init; }

    /// <summary>Fixes initialisation, dropout and data order.</summary>
    public int Seed { get; init; }

    /// <summary>The most epochs to train; early stopping may end sooner.</summary>
    public int Epochs { get; init; } = 30;

    public int BatchSize { get; init; } = 32;

    /// <summary>Batches whose gradients add up before one optimizer step: the effective batch is BatchSize x this.</summary>
    public int GradientAccumulation { get; init; } = 1;

    /// <summary>adam (L2 weight decay) or adamw (decoupled weight decay).</summary>
    public string Optimizer { get; init; } = OptimizerNames.Adam;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Gradients are scaled down to this global L2 norm before each step (Hugging Face's Trainer clips at 1.0); 0 leaves them as they are.</summary>
    public double MaxGradientNorm { get; init; }

    /// <summary>constant, warmup-cosine or step (<see cref="LearningRateSchedules"/>).</summary>
    public string Schedule { get; init; } = LearningRateSchedules.Constant;

    /// <summary>warmup-cosine: the share of the planned optimizer steps spent warming up linearly from 0.</summary>
    public double WarmupFraction { get; init; } = 0.1;

    /// <summary>step: epochs between two decays of the learning rate.</summary>
    public int DecayEveryEpochs { get; init; } = 10;

    /// <summary>step: what each decay multiplies the learning rate by.</summary>
    public double DecayFactor { get; init; } = 0.1;

    /// <summary>Epochs without a better validation weighted F1 before training stops.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>fp32, or bf16 mixed precision (<see cref="Precisions"/>).</summary>
    public string Precision { get; init; } = Precisions.Fp32;

    /// <summary>
    /// The kind of node the run needs: gpu or cpu (<see cref="DeviceKinds"/>). Null: any node. A run
    /// asking for gpu waits on the queue until a node with a CUDA device takes it.
    /// </summary>
    public string? Device { get; init; }

    /// <summary>The Baselines family's config; set exactly when <see cref="Family"/> is baselines.</summary>
    public BaselinesConfig? Baselines { get; init; }

    /// <summary>The BCAF family's config; set exactly when <see cref="Family"/> is bcaf.</summary>
    public BcafConfig? Bcaf { get; init; }

    /// <summary>The joint-vector EPC/ERC family's config; set exactly when <see cref="Family"/> is jointvector.</summary>
    public JointVectorConfig? JointVector { get; init; }

    /// <summary>The EAA family's config; set exactly when <see cref="Family"/> is eaa.</summary>
    public EaaConfig? Eaa { get; init; }

    /// <summary>The EmoQ family's config; set exactly when <see cref="Family"/> is emoq.</summary>
    public EmoQConfig? EmoQ { get; init; }
}
