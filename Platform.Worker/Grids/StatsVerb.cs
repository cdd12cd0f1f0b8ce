using System.CommandLine;
using System.Globalization;
using System.Text;
using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Statistics;
using EmotionLab.Models.Training;
using Microsoft.EntityFrameworkCore;
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
        List<Run> runs;
        try
        {
            await using var db = new EmotionLabDbContext(EmotionLabDbContext.Options(connectionString));
            if (!await db.Grids.AnyAsync(g => g.Id == gridId, cancellation))
            {
                await errors.WriteLineAsync($"stats: there is no grid {gridId}");
                return 1;
            }
            runs = await db.Runs.AsNoTracking().Where(r => r.GridId == gridId).OrderBy(r => r.Seed).ThenBy(r => r.Id).ToListAsync(cancellation);
        }
        catch (NpgsqlException e)
        {
            await errors.WriteLineAsync($"stats: cannot read grid {gridId} from the database: {e.Message}");
            return 1;
        }
        var variants = runs.Select(r => r.Variant).Distinct().ToList();
        foreach (var name in new[] { variant, against }.Where(n => !variants.Contains(n)))
        {
            await errors.WriteLineAsync($"stats: grid {gridId} has no variant '{name}'; its variants: {string.Join(", ", variants.Select(v => $"'{v}'"))}");
            return 1;
        }

        // The last succeeded run of each variant per seed (a retried seed has several runs).
        Dictionary<int, Run> Finished(string name) => runs.Where(r => r.Variant == name && r.Status == RunStatus.Succeeded && r.LogPath is not null)
            .GroupBy(r => r.Seed).ToDictionary(g => g.Key, g => g.Last());
        var (a, b) = (Finished(variant), Finished(against));
        var seeds = a.Keys.Intersect(b.Keys).Order().ToList();
        if (seeds.Count == 0)
        {
            await errors.WriteLineAsync($"stats: no seed has a succeeded run of both '{variant}' ({a.Count} seeds) and '{against}' ({b.Count} seeds)");
            return 1;
        }

        VariantComparison comparison;
        try
        {
            PredictionRows Predictions(Run run) => PredictionsCsv.Read(PredictionsCsv.PathIn(Path.GetDirectoryName(run.LogPath!)!, DataSplit.Test));
            comparison = VariantComparison.Compare(seeds.Select(s => (s, Predictions(a[s]), Predictions(b[s]))).ToList(), resamples);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"stats: {e.Message} (predictions are read from each run's folder on this machine: run stats where the runs' artifacts are)");
            return 1;
        }

        await output.WriteAsync(Report(gridId, variant, against, comparison));
        if (flipsFile is not null)
        {
            await File.WriteAllTextAsync(flipsFile.FullName, FlipsCsv(variant, against, comparison), new UTF8Encoding(false), cancellation);
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

    public static string FlipsCsv(string variant, string against, VariantComparison c)
    {
        var text = new StringBuilder("seed,key,true,").Append(CsvField.Quote(variant)).Append(',').Append(CsvField.Quote(against)).Append(",right\n");
        foreach (var f in c.Seeds.SelectMany(s => s.Flips))
            text.Append(Invariant($"{f.Seed},{CsvField.Quote(f.Key)},{CsvField.Quote(f.Truth)},{CsvField.Quote(f.PredictedA ?? "")},{CsvField.Quote(f.PredictedB ?? "")},{CsvField.Quote(f.RightInA ? variant : against)}\n"));
        return text.ToString();
    }

    private static string Range(ConfidenceInterval i) => Invariant($"[{i.Low:0.0000}, {i.High:0.0000}]");

    private static string P(double p) => double.IsNaN(p) ? "undefined" : p < 1e-4 ? p.ToString("0.0e+0", CultureInfo.InvariantCulture) : p.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
