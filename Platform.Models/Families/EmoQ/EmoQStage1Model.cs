using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.EmoQ;

/// <summary>
/// Stage 1 (§2.4): the bridge and a lightweight auxiliary MLP head over e'_q, trained with
/// multi-objective affective learning (eq. 6): L_SCL on e'_q (eq. 4) + λ x focal loss on the
/// head's logits (eq. 5, class weights α from the train split). With focal off the second term is
/// plain cross-entropy, with SCL off the first is dropped (Table 5). The head is discarded after
/// stage 1; stage 2 loads the bridge ("bridge.*").
/// </summary>
public sealed class EmoQStage1Model : Module<EmoQBatch, Tensor>, ITrainingObjective<EmoQBatch>
{
    private readonly EmoQBridge bridge;
    private readonly Sequential head;
    private readonly bool scl, focal;
    private readonly double temperature, gamma, lambda;
    private readonly Tensor alpha;

    /// <param name="trainClassCounts">train items per class: α_c = 1 - n_c / N, in [0, 1] and larger for rarer classes (the paper computes α from the class distribution without giving the formula)</param>
    public EmoQStage1Model(EmoQConfig config, EmoQBridge bridge, int classes, IReadOnlyList<long> trainClassCounts)
    {
        (scl, focal, temperature, gamma, lambda) = (config.Scl, config.Focal, config.Temperature, config.Gamma, config.Lambda);
        this.bridge = register_module("bridge", bridge);
        head = register_module("head", new Sequential(
            new Linear(bridge.OutputSize, config.AuxiliaryHiddenSize), new GELU(), new Dropout(config.Dropout), new Linear(config.AuxiliaryHiddenSize, classes)));
        var total = (double)Math.Max(1, trainClassCounts.Sum());
        alpha = register_buffer("alpha", torch.tensor(trainClassCounts.Select(n => (float)(1 - n / total)).ToArray()));
    }

    /// <summary>The auxiliary head's class logits (B, classes).</summary>
    public override Tensor forward(EmoQBatch batch) => head.forward(bridge.forward(batch));

    /// <summary>L_MAL = L_SCL + λ L_focal (eq. 6), each term as its switch says.</summary>
    public Tensor TrainingLoss(EmoQBatch inputs, Tensor targets)
    {
        var embedded = bridge.forward(inputs);                                    // (B, d_h): e'_q
        var logits = head.forward(embedded);                                      // (B, classes)
        var classification = focal
            ? functional.focal_loss(logits, targets, gamma, alpha.to(logits.device))
            : functional.cross_entropy(logits, targets);
        var loss = lambda * classification;
        // SCL needs an anchor with a positive; a batch whose labels all differ has none.
        var labels = targets.data<long>();
        if (scl && labels.Distinct().Count() < labels.Length)
            loss = loss + functional.supervised_contrastive_loss(embedded, targets, temperature);
        return loss;
    }
}
