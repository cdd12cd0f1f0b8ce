using EmotionLab.Models.Audio;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.JointVector;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Tests.Families.JointVector;

/// <summary>
/// Every switch is a different computation: the variant's parameters differ from the full model's,
/// and with every parameter they share copied from the full model, its output on the same input
/// differs too (so the difference is the switch, not the initialisation).
/// </summary>
public sealed class JointVectorSwitchTests
{
    private const int Vocabulary = 40, Classes = 7, Mels = 80;
    private static readonly JointVectorConfig Full = new();

    public static TheoryData<string, string, string> Switches => new()
    {
        // switch, modalities, a parameter only one of the two models has
        { "useKwrt=false", "text+audio", "text.kwrt.gate.weight" },
        { "useKwrt=false", "text", "text.kwrt.gate.weight" },
        { "useProsodyEnhancement=false", "text+audio", "audio.prosody_enhancement.encoder.self_attn.in_proj_weight" },
        { "useProsodyEnhancement=false", "audio", "audio.prosody_enhancement.prosody.weight" },
        { "useTmf=false", "text+audio", "fusion.patch_embedding.projection.weight" },
        { "useJfm=false", "text+audio", "fusion.blocks.0.joint" },
        { "useJointVector=false", "text+audio", "fusion.blocks.1.joint_prime" },
        { "useJointVector=false", "audio", "fusion.blocks.0.visual_to_language.0.weight" },
        { "fusion=cfa", "text+audio", "fusion.blocks.0.language_from_visual.attention.in_proj_weight" },
        { "fusion=concat", "text+audio", "fusion.layers.1.self_attn.in_proj_weight" },
    };

    [Theory]
    [MemberData(nameof(Switches))]
    public void A_switch_changes_the_parameters_and_the_output_and_its_spec_validates(string change, string modalities, string distinctParameter)
    {
        var variant = With(change);
        Assert.Empty(ExperimentSpecValidator.Validate(JointVectorGridTemplates.BaseSpec("emosynth", ExperimentTasks.Erc) with { Modalities = modalities, JointVector = variant }));
        using var scope = torch.NewDisposeScope();
        var raw = Raw();
        var batch = Batch(modalities, variant, raw);
        using var full = Model(Full, modalities);
        using var other = Model(variant, modalities);

        var (fullKeys, otherKeys) = (full.state_dict().Keys.ToHashSet(), other.state_dict().Keys.ToHashSet());
        Assert.False(fullKeys.SetEquals(otherKeys), "the variant has the full model's parameters");
        Assert.True(fullKeys.Contains(distinctParameter) != otherKeys.Contains(distinctParameter), $"{distinctParameter} is in both or neither");

        var shared = CopyShared(full, other);
        Assert.True(shared > 0);
        var (a, b) = (Logits(full, Batch(modalities, Full, raw)), Logits(other, batch));
        Assert.Equal(a.shape, b.shape);
        Assert.True((a - b).abs().max().item() > 1e-4, "the same input gives the same logits");
    }

    [Fact]
    public void Without_icl_the_loss_is_cross_entropy_alone_and_with_it_the_contrastive_term_is_added()
    {
        using var scope = torch.NewDisposeScope();
        var batch = Batch("text+audio", Full, Raw());
        var targets = torch.tensor(new long[] { 0, 3, 0, 3 });
        using var full = Model(Full with { IclWeight = 0.5 }, "text+audio");
        using var withoutIcl = Model(Full with { UseIcl = false }, "text+audio");
        // ICL is a loss, not a module: the two models have the same parameters.
        Assert.Equal(full.state_dict().Keys.Order(), withoutIcl.state_dict().Keys.Order());
        CopyShared(full, withoutIcl);
        full.eval();
        withoutIcl.eval();

        var crossEntropy = functional.cross_entropy(withoutIcl.forward(batch), targets).item();
        Assert.Equal(crossEntropy, withoutIcl.TrainingLoss(batch, targets).item(), 5);
        var (_, features) = full.Run(batch);
        Assert.Equal(2 * Full.HiddenSize, features.size(1)); // both CLS outputs, concatenated (eq. 6)
        var contrastive = functional.supervised_contrastive_loss(features, targets, Full.IclTemperature).item();
        Assert.True(contrastive > 0);
        Assert.Equal(crossEntropy + 0.5 * contrastive, full.TrainingLoss(batch, targets).item(), 4);
    }

    [Fact]
    public void The_number_of_blocks_and_the_joint_vector_length_change_the_parameter_shapes()
    {
        using var two = Model(Full, "text+audio");
        using var five = Model(Full with { Blocks = 5 }, "text+audio");
        using var longer = Model(Full with { JointVectorLength = 24 }, "text+audio");
        Assert.Equal(2, Blocks(two));
        Assert.Equal(5, Blocks(five));
        Assert.True(five.parameter_count() > two.parameter_count());
        Assert.Equal([4L, Full.HiddenSize], two.state_dict()["fusion.blocks.1.joint"].shape);
        Assert.Equal([24L, Full.HiddenSize], longer.state_dict()["fusion.blocks.1.joint_prime"].shape);
        Assert.Equal(two.parameter_count() + 2 * 2 * 20 * Full.HiddenSize, longer.parameter_count());

        // Text only: no audio side, no ViT, and the fusion is its language transformer alone (N layers, one classifier).
        using var text = Model(Full with { Blocks = 3 }, "text");
        Assert.DoesNotContain(text.state_dict().Keys, k => k.StartsWith("audio.") || k.Contains("patch_embedding") || k.Contains("visual"));
        Assert.Contains("fusion.layers.2.self_attn.in_proj_weight", text.state_dict().Keys);
        Assert.Equal(1, text.Classifiers);
        Assert.Equal(2, two.Classifiers);
        using var scope = torch.NewDisposeScope();
        Assert.Equal([4L, Classes], text.forward(Batch("text", Full, Raw())).shape);
    }

    private static int Blocks(JointVectorModel model) =>
        model.state_dict().Keys.Where(k => k.StartsWith("fusion.blocks.")).Select(k => k.Split('.')[2]).Distinct().Count();

    private static JointVectorModel Model(JointVectorConfig config, string modalities)
    {
        torch.manual_seed(11);
        return new JointVectorModel(config, modalities, Vocabulary, Mels, Classes);
    }

    private static Tensor Logits(JointVectorModel model, JointVectorBatch batch)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        return model.forward(batch);
    }

    // Copies every parameter both models have with the same shape from source to target.
    private static int CopyShared(JointVectorModel source, JointVectorModel target)
    {
        var own = target.state_dict();
        var shared = source.state_dict().Where(p => own.TryGetValue(p.Key, out var t) && t.shape.SequenceEqual(p.Value.shape)).ToDictionary(p => p.Key, p => p.Value);
        target.load_state_dict(shared, strict: false);
        return shared.Count;
    }

    /// <summary>
    /// A seeded batch of four items with every input: a conversation with padding, a focus turn and
    /// KWRT scores, log-mel frames of different lengths, prosody steps and mel patches.
    /// </summary>
    private static JointVectorBatch Raw()
    {
        torch.manual_seed(3);
        var tokens = torch.randint(2, Vocabulary, [4, 14]);
        var lengths = new[] { 14, 9, 12, 5 };
        var tokenPadding = torch.tensor(lengths.SelectMany(n => Enumerable.Range(0, 14).Select(i => i >= n)).ToArray(), [4, 14]);
        tokens = tokens.masked_fill(tokenPadding, 0);
        var focus = torch.tensor(lengths.SelectMany(n => Enumerable.Range(0, 14).Select(i => i >= n - 4 && i < n ? 1f : 0f)).ToArray(), [4, 14]);
        var scores = torch.tensor(Enumerable.Range(0, 4 * 14).Select(i => (float)(i * 7 % 5)).ToArray(), [4, 14]).masked_fill(tokenPadding, 0);
        var frameLengths = new[] { 70, 40, 64, 23 };
        var frames = torch.randn([4, 70, Mels]);
        var framePadding = torch.tensor(frameLengths.SelectMany(n => Enumerable.Range(0, 70).Select(i => i >= n)).ToArray(), [4, 70]);
        var prosody = torch.randn([4, 18, ProsodyFrames.Dimensions]);
        var prosodyPadding = torch.tensor(frameLengths.SelectMany(n => Enumerable.Range(0, 18).Select(i => i >= (n + 3) / 4)).ToArray(), [4, 18]);
        var patchCounts = frameLengths.Select(n => MelPatches.TimeBlocks(n) * (Mels / 16)).ToArray();
        var patches = torch.randn([4, patchCounts.Max(), 256]);
        var patchPadding = torch.tensor(patchCounts.SelectMany(n => Enumerable.Range(0, patchCounts.Max()).Select(i => i >= n)).ToArray(), [4, patchCounts.Max()]);
        return new JointVectorBatch(tokens, focus, scores, frames, framePadding, prosody, prosodyPadding, patches, patchPadding);
    }

    // What a model of these modalities and config reads from the full batch (the dataset leaves the rest out).
    private static JointVectorBatch Batch(string modalities, JointVectorConfig like, JointVectorBatch raw)
    {
        var (text, audio) = (Modalities.UsesText(modalities), Modalities.UsesAudio(modalities));
        return new JointVectorBatch(
            text ? raw.Tokens : null, text ? raw.Focus : null, text && like.UseKwrt ? raw.KwrtScores : null,
            audio ? raw.Frames : null, audio ? raw.FramePadding : null,
            audio && like.UseProsodyEnhancement ? raw.Prosody : null, audio && like.UseProsodyEnhancement ? raw.ProsodyPadding : null,
            audio && like.UseTmf ? raw.Patches : null, audio && like.UseTmf ? raw.PatchPadding : null);
    }

    private static JointVectorConfig With(string change) => change.Split('=') switch
    {
        ["useKwrt", var v] => Full with { UseKwrt = bool.Parse(v) },
        ["useProsodyEnhancement", var v] => Full with { UseProsodyEnhancement = bool.Parse(v) },
        ["useTmf", var v] => Full with { UseTmf = bool.Parse(v) },
        ["useJfm", var v] => Full with { UseJfm = bool.Parse(v) },
        ["useJointVector", var v] => Full with { UseJointVector = bool.Parse(v) },
        ["fusion", var v] => Full with { Fusion = v },
        _ => throw new ArgumentException(change),
    };
}
