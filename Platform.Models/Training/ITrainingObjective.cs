using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Training;

/// <summary>
/// A model whose training loss is more than cross-entropy on its logits: auxiliary heads,
/// reconstruction or contrastive terms (BCAF's alpha*Lc + beta*(La + Ll) + Lm, the joint-vector
/// network's CE + ICL). The trainer calls <see cref="TrainingLoss"/> on training steps; evaluation
/// still scores the logits of forward, so every family is measured the same way.
/// </summary>
public interface ITrainingObjective<TBatch>
{
    /// <summary>The scalar loss to minimise for one training batch (targets int64, label-set order).</summary>
    Tensor TrainingLoss(TBatch inputs, Tensor targets);
}
