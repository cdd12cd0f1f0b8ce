using EmotionLab.Models.Families.Bcaf;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Families.Bcaf;

/// <summary>
/// The training loss is eq. (18), alpha*Lc + beta*(La + Ll) + Lm, with every part recomputed here
/// from the model's outputs in plain C# (not with the model's own tensor code).
/// </summary>
public sealed class BcafLossTests
{
    private const int Classes = 7;
    private static readonly long[] Targets = [0, 3, 6, 3];

    [Fact]
    public void Training_loss_is_alpha_lc_plus_beta_la_ll_plus_lm()
    {
        var config = new BcafConfig { Alpha = 0.3, Beta = 0.7, Mu = 0.2 };
        torch.manual_seed(7);
        using var model = new BcafModel(config, 40, 0, 80, Classes);
        model.eval(); // no dropout: forward passes agree
        using var scope = torch.NewDisposeScope();
        var batch = BcafModelTests.Batch(seed: 8);
        var targets = torch.tensor(Targets);

        var outputs = model.Compute(batch);
        var (la, ll, lm) = (CrossEntropy(outputs.AudioLogits), CrossEntropy(outputs.TextLogits), CrossEntropy(outputs.BimodalLogits));
        var c = outputs.Connection!;
        var (ha, hl) = (Matrix(outputs.AudioRepresentation), Matrix(outputs.TextRepresentation));
        var (ea, el, da, dl) = (Matrix(c.LatentAudio), Matrix(c.LatentText), Matrix(c.DecodedAudio), Matrix(c.DecodedText));
        // Squared Frobenius norms per element; cross-products per utterance.
        var lc = MeanSquare(ha, da) + MeanSquare(hl, dl) + 0.2 * (IdentityGap(ea, el) + IdentityGap(da, dl));
        var expected = 0.3 * lc + 0.7 * (la + ll) + lm;

        var loss = model.Loss(outputs, targets);
        Assert.Equal(lc, loss.Connection!.item(), 4);
        Assert.Equal(la, loss.Audio.item(), 4);
        Assert.Equal(ll, loss.Text.item(), 4);
        Assert.Equal(lm, loss.Bimodal.item(), 4);
        Assert.Equal(expected, model.TrainingLoss(batch, targets).item(), 4);
        Assert.True(lc > 0.01 && la > 0.01, "every part contributes");
    }

    [Fact]
    public void Without_the_icn_the_connection_term_is_absent()
    {
        var config = new BcafConfig { UseIcn = false, Alpha = 0.3, Beta = 0.7, Mu = 0.2 };
        torch.manual_seed(7);
        using var model = new BcafModel(config, 40, 0, 80, Classes);
        model.eval();
        using var scope = torch.NewDisposeScope();
        var batch = BcafModelTests.Batch(seed: 8);
        var targets = torch.tensor(Targets);

        var outputs = model.Compute(batch);
        Assert.Null(outputs.Connection);
        var loss = model.Loss(outputs, targets);
        Assert.Null(loss.Connection);
        var expected = 0.7 * (CrossEntropy(outputs.AudioLogits) + CrossEntropy(outputs.TextLogits)) + CrossEntropy(outputs.BimodalLogits);
        Assert.Equal(expected, model.TrainingLoss(batch, targets).item(), 4);

        // alpha and mu weigh nothing here: the same weights under other values give the same loss.
        using var other = new BcafModel(config with { Alpha = 5, Mu = 3 }, 40, 0, 80, Classes);
        BcafModelTests.CopyShared(model, other);
        other.eval();
        Assert.Equal(expected, other.TrainingLoss(batch, targets).item(), 4);
    }

    [Fact]
    public void Every_part_of_the_loss_reaches_its_parameters()
    {
        torch.manual_seed(9);
        using var model = new BcafModel(new BcafConfig(), 40, 0, 80, Classes);
        using var scope = torch.NewDisposeScope();
        model.TrainingLoss(BcafModelTests.Batch(seed: 10), torch.tensor(Targets)).backward();
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var name in new[] { "icn.decoder_audio.5.weight", "icn.encoder_text.0.weight", "can.joint.lambda", "ban.cross_audio.2.query.weight", "heads.audio.weight", "heads.classifier.9.weight", "audio.projection.weight", "text.embedding.weight" })
        {
            var grad = parameters[name].grad;
            Assert.True(grad is not null && grad.abs().sum().item() > 0, $"{name} has no gradient");
        }
    }

    private static double CrossEntropy(Tensor logits)
    {
        var rows = Matrix(logits);
        return rows.Select((row, i) =>
        {
            var max = row.Max();
            var logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            return logSum - row[Targets[i]];
        }).Average();
    }

    private static double[][] Matrix(Tensor t)
    {
        var (rows, columns) = ((int)t.size(0), (int)t.size(1));
        var values = t.detach().contiguous().data<float>();
        return Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, columns).Select(c => (double)values[r * columns + c]).ToArray()).ToArray();
    }

    private static double MeanSquare(double[][] a, double[][] b) =>
        a.Zip(b).SelectMany(p => p.First.Zip(p.Second, (x, y) => (x - y) * (x - y))).Average();

    // mean over (i, j) of ((1/B) sum_b a[b,i] b[b,j] - [i == j])^2
    private static double IdentityGap(double[][] a, double[][] b)
    {
        var (n, m, batch) = (a[0].Length, b[0].Length, a.Length);
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        for (var j = 0; j < m; j++)
        {
            var product = 0.0;
            for (var k = 0; k < batch; k++) product += a[k][i] * b[k][j];
            var gap = product / batch - (i == j ? 1 : 0);
            sum += gap * gap;
        }
        return sum / (n * m);
    }
}
