using System.CommandLine;
using System.Globalization;
using System.Text;
using EmotionLab.Data;
using EmotionLab.Models.Statistics;
using Npgsql;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// `stats --grid ID --variant A --against B [--flips FILE]`: whether A's difference from B is real,
/// from their runs' best-epoch test predictions on the seeds both have: McNemar per seed and
/// combined, bootstrap intervals of each variant's mean, the paired t-test over seeds and how many
/// seeds it needs; --flips writes the utterances one variant gets right and the other wrong.
/// </summary>
public static class StatsVerb
{
    public static Command Command()
    {
        var grid = new Option<long>("--grid") { Description = "The grid's id (the number in /grids/ID).", Required = true };
        var variant = new Option<string>("--variant") { Description = "The variant to test (its row label in the grid table).", Required = true };
        var against = new Option<string>("--against") { Description = "The variant it is compared with, e.g. the grid's reference.", Required = true };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples of the test utterances.", DefaultValueFactory = _ => BootstrapInterval.DefaultResamples };
        var flips = new Option<FileInfo?>("--flips") { Description = "Write the utterances that flip (seed, key, true, each variant's prediction) to this CSV." };
        var database = new Option<string?>("--database") { Description = "PostgreSQL connection string (default: ConnectionStrings__EmotionLab)." };
        var stats = new Command("stats", "McNemar on paired test predictions, bootstrap intervals and the seeds a paired t-test needs, for one variant of a grid against another.")
            { grid, variant, against, resamples, flips, database };
        stats.SetAction((result, cancellation) => RunAsync(result.GetValue(grid), result.GetValue(variant)!, result.GetValue(against)!, result.GetValue(resamples),
            result.GetValue(flips), result.GetValue(database) ?? Environment.GetEnvironmentVariable("ConnectionStrings__EmotionLab"), Console.Out, Console.Error, cancellation));
        return stats;
    }

    /// <summary>0 when printed; 2 without a database; 1 when the grid, a variant or their predictions are missing.</summary>
    public static async Task<int> RunAsync(long gridId, string variant, string against, int resamples, FileInfo? flipsFile, string? connectionString,
        TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await errors.WriteLineAsync("stats: no database: pass --database or set ConnectionStrings__EmotionLab");
            return 2;
        }
        VariantComparison? comparison;
        string? problem;
        try
        {
            await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
            (comparison, problem) = await PairedPredictions.CompareAsync(db, gridId, variant, against, resamples, cancellation);
        }
        catch (NpgsqlException e)
        {
            await errors.WriteLineAsync($"stats: cannot read grid {gridId} from the database: {e.Message}");
            return 1;
        }
        if (comparison is null)
        {
            await errors.WriteLineAsync($"stats: {problem}");
            return 1;
        }

        await output.WriteAsync(Report(gridId, variant, against, comparison));
        if (flipsFile is not null)
        {
            await File.WriteAllTextAsync(flipsFile.FullName, PairedPredictions.FlipsCsv(variant, against, comparison), new UTF8Encoding(false), cancellation);
            await output.WriteLineAsync($"flips written to {flipsFile.FullName}");
        }
        return 0;
    }

    public static string Report(long gridId, string variant, string against, VariantComparison c)
    {
        var text = new StringBuilder();
        var seeds = c.Seeds.Count;
        text.AppendLine(Invariant($"grid {gridId}: '{variant}' against '{against}' on the test utterances, {seeds} seed(s): {string.Join(" ", c.Seeds.Select(s => s.Seed))}"));
        text.AppendLine("McNemar's exact test, per seed:");
        foreach (var s in c.Seeds)
            text.AppendLine(Invariant($"  seed {s.Seed}: both right {s.McNemar.BothRight}, only {variant} {s.McNemar.OnlyA}, only {against} {s.McNemar.OnlyB}, both wrong {s.McNemar.BothWrong}; p = {P(s.McNemar.P)}"));
        text.AppendLine(Invariant($"  combined (Fisher's method; it treats the seeds as independent, and they share the test set, so it is optimistic): p = {P(c.CombinedP)}"));
        text.AppendLine(Invariant($"  flips: {c.Seeds.Sum(s => s.Flips.Count)} (utterance, seed) pairs one variant gets right and the other wrong ({c.Seeds.Sum(s => s.Flips.Count(f => f.RightInA))} for '{variant}')"));
        var level = c.IntervalsA.WA.Level;
        text.AppendLine(Invariant($"Bootstrap {level * 100:0}% intervals of the mean over seeds ({c.IntervalsA.Resamples} resamples of the test utterances, seed {c.IntervalsA.Seed}, percentile):"));
        foreach (var (name, i) in new[] { (variant, c.IntervalsA), (against, c.IntervalsB) })
            text.AppendLine(Invariant($"  {name}: WA {Range(i.WA)}  UA {Range(i.UA)}  WF1 {Range(i.WeightedF1)}  MF1 {Range(i.MacroF1)}"));
        var points = c.MeanDifference * 100;
        text.Append(Invariant($"Weighted F1, paired over seeds: {points:+0.00;-0.00} points"));
        if (seeds < 2)
        {
            text.AppendLine("; one seed: no t-test and no seeds-needed figure (add seeds)");
            return text.ToString();
        }
        text.AppendLine(Invariant($" (std {c.StdDifference * 100:0.00}), paired t-test p = {P(c.PairedT.P)}"));
        var significant = c.PairedT.P < PairedTTestPower.Alpha;
        text.AppendLine(c.SeedsNeeded switch
        {
            null when c.MeanDifference == 0 => "  no difference to detect",
            null => Invariant($"  a paired t-test would need more than 1,000 seeds to detect {points:+0.00;-0.00} points at alpha {PairedTTestPower.Alpha} with power {PairedTTestPower.TargetPower}"),
            { } n when significant => Invariant($"  significant at {seeds} seeds; a paired t-test has power {PairedTTestPower.TargetPower} from {n} seeds for this difference"),
            { } n => Invariant($"  at {seeds} seeds this {points:+0.00;-0.00}-point difference is not significant; about {n} seeds would show it (power {PairedTTestPower.TargetPower} at alpha {PairedTTestPower.Alpha})"),
        });
        return text.ToString();
    }

    private static string Range(ConfidenceInterval i) => Invariant($"[{i.Low:0.0000}, {i.High:0.0000}]");

    private static string P(double p) => double.IsNaN(p) ? "undefined" : p < 1e-4 ? p.ToString("0.0e+0", CultureInfo.InvariantCulture) : p.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
