using EmotionLab.Models.Audio;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Bcaf;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Families.Bcaf;

/// <summary>
/// Each switch is a real code path: a variant has other parameters than the full model and, with
/// every parameter the two share copied from the full model, gives other outputs on the same input.
/// </summary>
public sealed class BcafModelTests
{
    private const int Vocabulary = 40, MelBins = 80, Classes = 7;

    public static TheoryData<string> Switches => new() { "w/o ICN", "w/o BAN", "w/o CAN", "jan", "ban-sa", "ban-ca", "1 layer" };

    private static BcafConfig Variant(string name) => name switch
    {
        "w/o ICN" => new BcafConfig { UseIcn = false },
        "w/o BAN" => new BcafConfig { UseBan = false },
        "w/o CAN" => new BcafConfig { UseCan = false },
        "jan" => new BcafConfig { Attention = BcafConfig.Jan },
        "ban-sa" => new BcafConfig { Attention = BcafConfig.BanSelfOnly },
        "ban-ca" => new BcafConfig { Attention = BcafConfig.BanCrossOnly },
        "1 layer" => new BcafConfig { Layers = 1 },
        _ => throw new ArgumentException(name),
    };

    // Parameter name prefixes the variant must lack, and ones it must have that the full model lacks.
    private static (string[] Gone, string[] Added) Expected(string name) => name switch
    {
        "w/o ICN" => (["icn."], []),
        "w/o BAN" => (["ban."], []),
        "w/o CAN" => (["can."], []),
        "jan" => (["ban.self_audio.", "ban.self_text.", "ban.cross_audio.", "ban.cross_text."], ["ban.joint.0.joint.lambda", "ban.joint.2."]),
        "ban-sa" => (["ban.cross_audio.", "ban.cross_text."], []),
        "ban-ca" => (["ban.self_audio.", "ban.self_text."], []),
        "1 layer" => (["ban.self_audio.1.", "ban.cross_text.2."], []),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Switches))]
    public void Each_switch_changes_the_parameters_and_the_output_and_its_spec_validates(string name)
    {
        var config = Variant(name);
        Assert.Empty(ExperimentSpecValidator.Validate(BcafConfigTests.Spec(config)));

        torch.manual_seed(1);
        using var full = new BcafModel(new BcafConfig(), Vocabulary, 0, MelBins, Classes);
        torch.manual_seed(1);
        using var variant = new BcafModel(config, Vocabulary, 0, MelBins, Classes);
        var fullNames = full.named_parameters().Select(p => p.name).ToHashSet();
        var variantNames = variant.named_parameters().Select(p => p.name).ToHashSet();
        var (gone, added) = Expected(name);
        Assert.All(gone, prefix => Assert.Contains(fullNames, n => n.StartsWith(prefix)));
        Assert.All(gone, prefix => Assert.DoesNotContain(variantNames, n => n.StartsWith(prefix)));
        Assert.All(added, prefix => Assert.Contains(variantNames, n => n.StartsWith(prefix)));
        Assert.All(added, prefix => Assert.DoesNotContain(fullNames, n => n.StartsWith(prefix)));
        Assert.NotEqual(full.parameter_count(), variant.parameter_count());

        // Same weights wherever the variant has the full model's parameters: what is left to differ is the switch.
        CopyShared(full, variant);
        using var scope = torch.NewDisposeScope();
        var batch = Batch(seed: 3);
        full.eval();
        variant.eval();
        using var noGrad = torch.no_grad();
        var difference = (full.forward(batch) - variant.forward(batch)).abs().max().item();
        Assert.True(difference > 1e-4, $"{name}: the output moved by only {difference}");
    }

    [Fact]
    public void The_decision_switch_keeps_the_parameters_and_changes_the_output()
    {
        var config = new BcafConfig { Decision = BcafConfig.BimodalDecision };
        Assert.Empty(ExperimentSpecValidator.Validate(BcafConfigTests.Spec(config)));
        torch.manual_seed(1);
        using var average = new BcafModel(new BcafConfig(), Vocabulary, 0, MelBins, Classes);
        torch.manual_seed(1);
        using var bimodal = new BcafModel(config, Vocabulary, 0, MelBins, Classes);
        Assert.Equal(average.named_parameters().Select(p => p.name), bimodal.named_parameters().Select(p => p.name));
        CopyShared(average, bimodal);
        average.eval();
        bimodal.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = Batch(seed: 4);
        var outputs = average.Compute(batch);
        // bimodal: the classifier's logits; average: log of the three heads' mean probabilities.
        Assert.True((bimodal.forward(batch) - outputs.BimodalLogits).abs().max().item() < 1e-6);
        var mean = (outputs.AudioLogits.softmax(1) + outputs.TextLogits.softmax(1) + outputs.BimodalLogits.softmax(1)) / 3;
        Assert.True((outputs.Logits.exp() - mean).abs().max().item() < 1e-6);
        Assert.True((outputs.Logits - outputs.BimodalLogits.log_softmax(1)).abs().max().item() > 1e-4);
    }

    [Fact]
    public void The_full_model_correlates_through_the_can_and_padding_does_not_change_an_items_output()
    {
        torch.manual_seed(2);
        using var model = new BcafModel(new BcafConfig(), Vocabulary, 0, MelBins, Classes);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = Batch(seed: 5);
        var outputs = model.Compute(batch);
        Assert.Equal([4L, 512], outputs.Connection!.LatentAudio.shape);
        Assert.Equal([4L, 128], outputs.Connection.DecodedText.shape);
        Assert.Equal([4L, Classes], outputs.Logits.shape);
        var correlations = outputs.AudioCorrelation!.data<float>().Concat(outputs.TextCorrelation!.data<float>()).ToArray();
        Assert.All(correlations, c => Assert.InRange(c, -1.0001f, 1.0001f));

        // The last item alone, without the others' padding, gives the same logits.
        var alone = Batch(seed: 5, only: 3);
        var difference = (model.forward(alone)[0] - outputs.Logits[3]).abs().max().item();
        Assert.True(difference < 1e-4, $"padding changed the output by {difference}");
    }

    /// <summary>Four utterances of different lengths (tokens and frames), the same for a seed; <paramref name="only"/> keeps one of them.</summary>
    public static BcafBatch Batch(int seed, int? only = null, int items = 4)
    {
        var random = new Random(seed);
        var tokens = new List<int[]>();
        var frames = new List<FeatureMatrix>();
        for (var i = 0; i < items; i++)
        {
            tokens.Add(Enumerable.Range(0, 3 + random.Next(8)).Select(_ => 1 + random.Next(Vocabulary - 1)).ToArray());
            var length = 20 + random.Next(60);
            frames.Add(new FeatureMatrix(length, MelBins, Enumerable.Range(0, length * MelBins).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()));
        }
        if (only is { } k) (tokens, frames) = ([tokens[k]], [frames[k]]);
        var (f, padding) = PaddedBatch.Frames(frames, 600);
        return new BcafBatch(TextInput.FromTokens(PaddedBatch.Tokens(tokens, 64, 1)), f, padding);
    }

    /// <summary>Copies every parameter of <paramref name="source"/> the target has with the same name and shape.</summary>
    internal static void CopyShared(torch.nn.Module source, torch.nn.Module target)
    {
        var own = target.state_dict();
        var shared = source.state_dict().Where(kv => own.TryGetValue(kv.Key, out var t) && t.shape.SequenceEqual(kv.Value.shape)).ToDictionary();
        Assert.NotEmpty(shared);
        target.load_state_dict(shared, strict: false);
    }
}
