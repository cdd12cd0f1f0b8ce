using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>The parts of eq. (18), L = alpha Lc + beta (La + Ll) + Lm, and the total; Connection is null without the ICN.</summary>
public sealed record BcafLoss(Tensor Total, Tensor? Connection, Tensor Audio, Tensor Text, Tensor Bimodal);
