using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Bcaf;

/// <summary>
/// The interactive connection network (Section III.B.1, Fig. 3): per modality an encoder of three
/// fully connected layers with ReLU to the latent e_m (eq. 1) and a decoder of three back to the
/// reconstruction d_m (eq. 2), each followed by dropout; and the connection loss Lc (eq. 3).
/// The layer widths step evenly from the representation's width to the latent's (the paper gives
/// only 1024 and 512).
/// </summary>
public sealed class InteractiveConnectionNetwork : Module<Tensor, Tensor, ConnectionOutput>
{
    private readonly Sequential encoderAudio, encoderText, decoderAudio, decoderText;

    public InteractiveConnectionNetwork(int width, int latentSize, double dropoutRate)
    {
        var sizes = Enumerable.Range(0, 4).Select(k => width + (int)Math.Round((latentSize - width) * k / 3.0)).ToArray();
        encoderAudio = register_module("encoder_audio", Encoder(sizes, dropoutRate));
        encoderText = register_module("encoder_text", Encoder(sizes, dropoutRate));
        decoderAudio = register_module("decoder_audio", Decoder(sizes, dropoutRate));
        decoderText = register_module("decoder_text", Decoder(sizes, dropoutRate));
    }

    /// <summary>Utterance representations H_a, H_l (B, width) to latents e (B, latent) and reconstructions d (B, width).</summary>
    public override ConnectionOutput forward(Tensor audio, Tensor text)
    {
        var (ea, el) = (encoderAudio.forward(audio), encoderText.forward(text));
        return new ConnectionOutput(ea, el, decoderAudio.forward(ea), decoderText.forward(el));
    }

    /// <summary>
    /// Lc = ||H_a - d_a||^2 + ||H_l - d_l||^2 + mu (||I_e - e_a^T e_l / B||^2 + ||I_d - d_a^T d_l / B||^2).
    /// Each squared Frobenius norm is divided by its number of elements (mean squared error), and
    /// e_a^T e_l, d_a^T d_l are divided by the batch size (cross-covariances), so Lc keeps its
    /// scale whatever the widths and the batch. Eq. (3) prints a minus before the decoder term, but
    /// the text says both terms align the modalities, and with the minus Lc has no lower bound
    /// (scaling d_a and d_l up drives it to minus infinity), so both terms are minimised here.
    /// </summary>
    public static Tensor ConnectionLoss(Tensor audio, Tensor text, ConnectionOutput output, double mu)
    {
        var batch = audio.size(0);
        var reconstruction = functional.mse_loss(output.DecodedAudio, audio) + functional.mse_loss(output.DecodedText, text);
        var latent = functional.mse_loss(output.LatentAudio.mT.matmul(output.LatentText) / batch, Identity(output.LatentAudio.size(1), audio.device));
        var decoded = functional.mse_loss(output.DecodedAudio.mT.matmul(output.DecodedText) / batch, Identity(audio.size(1), audio.device));
        return reconstruction + mu * (latent + decoded);
    }

    private static Tensor Identity(long n, Device device)
    {
        var range = torch.arange(n, torch.int64, device);
        return range.unsqueeze(1).eq(range.unsqueeze(0)).to(torch.float32);
    }

    // Three Linear + ReLU layers down to the latent, then dropout.
    private static Sequential Encoder(int[] sizes, double dropoutRate) => new(
        new Linear(sizes[0], sizes[1]), new ReLU(),
        new Linear(sizes[1], sizes[2]), new ReLU(),
        new Linear(sizes[2], sizes[3]), new ReLU(),
        new Dropout(dropoutRate));

    // Three layers back up. The last has no ReLU (the paper puts one after every layer): the
    // representations it reconstructs come from LayerNorm and are signed. Its dropout sits before
    // the last layer, so the reconstruction itself is not dropped out.
    private static Sequential Decoder(int[] sizes, double dropoutRate) => new(
        new Linear(sizes[3], sizes[2]), new ReLU(),
        new Linear(sizes[2], sizes[1]), new ReLU(),
        new Dropout(dropoutRate),
        new Linear(sizes[1], sizes[0]));
}
