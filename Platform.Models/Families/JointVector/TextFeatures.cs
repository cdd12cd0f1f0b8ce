using EmotionLab.Models.Encoders;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// The text side: the conversation with speaker tokens through the text slot (the papers'
/// RoBERTa) to h_t, KWRT's gate (eq. 1) when on, a projection to the model width with a learned
/// marker added on the focus turn's tokens, and the feature extractor, a stack of transformer
/// layers (2 in the papers), giving F_t.
/// </summary>
public sealed class TextFeatures : Module
{
    private readonly ITextEncoderSlot slot;
    private readonly KwrtGate? kwrt;
    private readonly Linear projection;
    private readonly Parameter focus;
    private readonly ModuleList<TransformerEncoderLayer> extractor;

    public TextFeatures(JointVectorConfig config, ITextEncoderSlot slot)
    {
        this.slot = slot;
        register_module("slot", slot as Module ?? throw new ArgumentException("a text slot must be a module, so its weights train and save with the family", nameof(slot)));
        if (config.UseKwrt) kwrt = register_module("kwrt", new KwrtGate(slot.OutputSize));
        projection = register_module("projection", new Linear(slot.OutputSize, config.HiddenSize));
        // Which turn the batch's audio belongs to (and, for ERC, the one to classify): the papers
        // mark nothing, as RoBERTa reads the target in place; a learned vector says it here, as
        // large as a token embedding (N(0, 1)) so the extractor sees it from the start.
        focus = register_parameter("focus", new Parameter(torch.empty([config.HiddenSize])));
        init.normal_(focus, 1);
        extractor = register_module("extractor", new ModuleList<TransformerEncoderLayer>());
        for (var i = 0; i < config.ExtractorLayers; i++)
            extractor.append(new TransformerEncoderLayer(config.HiddenSize, config.Heads, dim_feedforward: 2 * config.HiddenSize, dropout: config.Dropout, batch_first: true));
    }

    public bool UsesKwrt => kwrt is not null;

    /// <summary>F_t (B, L, D) and its padding (B, L).</summary>
    public (Tensor Values, Tensor Padding) forward(Tensor tokens, Tensor focusMask, Tensor? kwrtScores)
    {
        var encoded = slot.Encode(TextInput.FromTokens(tokens));
        var (h, padding) = (encoded.Values, encoded.Padding);
        var length = h.size(1); // a slot may keep fewer positions than it was given
        if (kwrt is not null)
            h = kwrt.forward(h, (kwrtScores ?? throw new ArgumentException("KWRT is on but the batch has no KWRT scores")).narrow(1, 0, length));
        var x = projection.forward(h) + focusMask.narrow(1, 0, length).unsqueeze(2) * focus;
        foreach (var layer in extractor) x = layer.forward(x, null, padding);
        return (x, padding);
    }
}
