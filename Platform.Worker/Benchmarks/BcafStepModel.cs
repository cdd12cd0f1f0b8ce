using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>
/// The BCAF step spec of shared/BENCHMARKS.md, written once here and once in
/// tools/bench_engine.py (PyTorch eager) so both engines run the same computation. It is a
/// benchmark workload, not the BCAF family: sizes and losses follow the spec, where the paper
/// leaves a detail open the choice is noted and made identically on both sides.
/// </summary>
public sealed class BcafStepModel : Module
{
    public const int Batch = 32, Utterances = 12, Features = 1024, Latent = 512, Classes = 7;
    private const double Dropout = 0.3;

    private readonly Sequential audioEncoder = Encoder(), textEncoder = Encoder();
    private readonly Sequential audioDecoder = Decoder(), textDecoder = Decoder();
    private readonly TransformerEncoderLayer audioSelf = SelfBlock(), textSelf = SelfBlock();
    private readonly CrossBlock audioCross = new(), textCross = new();
    private readonly Linear qa = Proj(), ka = Proj(), va = Proj(), ql = Proj(), kl = Proj(), vl = Proj();
    private readonly Parameter lambda;
    private readonly Tensor identityLatent, identityFeatures;
    private readonly Linear jointToLatent = new(Features, Latent);
    private readonly Sequential classifier = new(
        new Linear(3072, 1024), new ReLU(), new Dropout(Dropout),
        new Linear(1024, 512), new ReLU(), new Dropout(Dropout),
        new Linear(512, 256), new ReLU(), new Dropout(Dropout),
        new Linear(256, Classes));
    private readonly Linear audioHead = new(Features, Classes), textHead = new(Features, Classes);

    public BcafStepModel()
    {
        foreach (var (name, m) in new (string, Module)[]
                 {
                     ("audio_encoder", audioEncoder), ("text_encoder", textEncoder), ("audio_decoder", audioDecoder), ("text_decoder", textDecoder),
                     ("audio_self", audioSelf), ("text_self", textSelf), ("audio_cross", audioCross), ("text_cross", textCross),
                     ("qa", qa), ("ka", ka), ("va", va), ("ql", ql), ("kl", kl), ("vl", vl), ("joint_to_latent", jointToLatent),
                     ("classifier", classifier), ("audio_head", audioHead), ("text_head", textHead),
                 })
            register_module(name, m);
        lambda = register_parameter("lambda", new Parameter(torch.full([1], 0.5)));
        identityLatent = register_buffer("eye_latent", Eye(Latent));
        identityFeatures = register_buffer("eye_features", Eye(Features));
    }

    private static Sequential Encoder() => new(
        new Linear(1024, 768), new ReLU(), new Dropout(Dropout),
        new Linear(768, 640), new ReLU(), new Dropout(Dropout),
        new Linear(640, 512), new ReLU(), new Dropout(Dropout));

    private static Sequential Decoder() => new(
        new Linear(512, 640), new ReLU(), new Dropout(Dropout),
        new Linear(640, 768), new ReLU(), new Dropout(Dropout),
        new Linear(768, 1024));

    private static TransformerEncoderLayer SelfBlock() => new(Features, 8, 4096, Dropout, batch_first: true);

    private static Linear Proj() => new(Features, Features, hasBias: false);

    /// <summary>The training loss for audio and text features of shape (B, T, 1024) and labels (B, T).</summary>
    public Tensor Loss(Tensor audio, Tensor text, Tensor labels)
    {
        // Interactive connection network: per-utterance autoencoders and the connection loss.
        var (ea, el) = (audioEncoder.forward(audio), textEncoder.forward(text));
        var (da, dl) = (audioDecoder.forward(ea), textDecoder.forward(el));
        var utterances = (double)(Batch * Utterances);
        var (fa, fl) = (ea.reshape(-1, Latent), el.reshape(-1, Latent));
        var (ra, rl) = (da.reshape(-1, Features), dl.reshape(-1, Features));
        var connection = functional.mse_loss(da, audio) + functional.mse_loss(dl, text)
            + 0.1 * (functional.mse_loss(fa.mT.matmul(fl) / utterances, identityLatent) + functional.mse_loss(ra.mT.matmul(rl) / utterances, identityFeatures));

        // Bimodal attention network: self-attention, then each modality attends to the other.
        var (sa, sl) = (audioSelf.forward(audio), textSelf.forward(text));
        var (ca, cl) = (audioCross.forward(sa, sl), textCross.forward(sl, sa));

        // Correlative attention network: the pair of softmaxes with a learnable lambda.
        var scale = 1.0 / Math.Sqrt(Features);
        var (qA, kA, qL, kL) = (qa.forward(audio), ka.forward(audio), ql.forward(text), kl.forward(text));
        var intra = ((qA.matmul(kA.mT) + qL.matmul(kL.mT)) * scale).softmax(-1);
        var cross = (qA.matmul(kL.mT) * scale).softmax(-1);
        var values = (va.forward(audio) + vl.forward(text)) * 0.5;
        var joint = (intra - cross * lambda).matmul(values);
        var bimodal = jointToLatent.forward(joint);
        var corA = functional.cosine_similarity(ea, bimodal, -1).unsqueeze(-1);
        var corL = functional.cosine_similarity(el, bimodal, -1).unsqueeze(-1);

        var fused = torch.cat([ca, cl, ea * corA, el * corL], -1);
        var flatLabels = labels.reshape(-1);
        Tensor Ce(Tensor logits) => functional.cross_entropy(logits.reshape(-1, Classes), flatLabels);
        return 0.1 * connection + 0.5 * (Ce(audioHead.forward(sa)) + Ce(textHead.forward(sl))) + Ce(classifier.forward(fused));
    }

    private static Tensor Eye(long n)
    {
        using var range = torch.arange(n);
        using var equal = range.unsqueeze(1).eq(range.unsqueeze(0));
        return equal.to(torch.float32);
    }

    /// <summary>Cross-attention block: LN(x + MHA(x, other, other)), then LN(x + FFN(x)).</summary>
    private sealed class CrossBlock : Module
    {
        private readonly MultiheadAttention attention = new(Features, 8, Dropout, batch_first: true);
        private readonly LayerNorm norm1 = new(Features), norm2 = new(Features);
        private readonly Linear linear1 = new(Features, 4096), linear2 = new(4096, Features);
        private readonly Dropout dropout1 = new(Dropout), dropout2 = new(Dropout);

        public CrossBlock()
        {
            register_module("attention", attention);
            register_module("norm1", norm1);
            register_module("norm2", norm2);
            register_module("linear1", linear1);
            register_module("linear2", linear2);
            register_module("dropout1", dropout1);
            register_module("dropout2", dropout2);
        }

        public Tensor forward(Tensor x, Tensor other)
        {
            var attended = attention.forward(x, other, other, need_weights: false).output;
            var y = norm1.forward(x + dropout1.forward(attended));
            return norm2.forward(y + dropout2.forward(linear2.forward(linear1.forward(y).relu())));
        }
    }
}
