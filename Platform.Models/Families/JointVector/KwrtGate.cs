using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// KWRT's combination with the token features (EPC paper, eq. 1): F_t = h_t * Linear(Squeeze(M)).
/// Squeeze(M) is each token's importance (<see cref="KwrtTags.Scores"/>, 0 for tokens that are not
/// content words), and the Linear maps that scalar to a gate per feature channel.
/// </summary>
public sealed class KwrtGate : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear gate;

    public KwrtGate(int size)
    {
        gate = register_module("gate", new Linear(1, size));
        // The paper gives no initialisation: start near the identity (bias 1, a small slope), so
        // the untrained gate does not scramble the encoder's features.
        init.ones_(gate.bias!);
        init.uniform_(gate.weight, 0.1);
    }

    /// <param name="tokens">h_t (B, L, D)</param>
    /// <param name="scores">Squeeze(M) per token (B, L)</param>
    public override Tensor forward(Tensor tokens, Tensor scores) => tokens * gate.forward(scores.unsqueeze(2));
}
