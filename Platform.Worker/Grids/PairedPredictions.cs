using System.Globalization;
using System.Text;
using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Corpora;
using EmotionLab.Models.Statistics;
using EmotionLab.Models.Training;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// Two variants of a grid compared on their runs' best-epoch test predictions, seed by seed
/// (<see cref="VariantComparison"/>): the last succeeded run of each variant per seed, on the seeds
/// both have, read from each run's folder. Used by `stats` and by the web's flips download and
/// compare page; a problem (no such variant, no shared seed, a predictions file missing) comes back
/// as a sentence instead of a comparison.
/// </summary>
public static class PairedPredictions
{
    public static async Task<(VariantComparison? Comparison, string? Problem)> CompareAsync(EmotionLabDbContext db, long gridId, string variant, string against,
        int resamples = BootstrapInterval.DefaultResamples, CancellationToken cancellation = default)
    {
        if (!await db.Grids.AnyAsync(g => g.Id == gridId, cancellation)) return (null, $"there is no grid {gridId}");
        var runs = await db.Runs.AsNoTracking().Where(r => r.GridId == gridId).OrderBy(r => r.Seed).ThenBy(r => r.Id).ToListAsync(cancellation);
        var variants = runs.Select(r => r.Variant).Distinct().ToList();
        if (new[] { variant, against }.FirstOrDefault(n => !variants.Contains(n)) is { } unknown)
            return (null, $"grid {gridId} has no variant '{unknown}'; its variants: {string.Join(", ", variants.Select(v => $"'{v}'"))}");

        // The last succeeded run of each variant per seed (a retried seed has several runs).
        Dictionary<int, Run> Finished(string name) => runs.Where(r => r.Variant == name && r.Status == RunStatus.Succeeded && r.LogPath is not null)
            .GroupBy(r => r.Seed).ToDictionary(g => g.Key, g => g.Last());
        var (a, b) = (Finished(variant), Finished(against));
        var seeds = a.Keys.Intersect(b.Keys).Order().ToList();
        if (seeds.Count == 0) return (null, $"no seed has a succeeded run of both '{variant}' ({a.Count} seeds) and '{against}' ({b.Count} seeds)");
        try
        {
            PredictionRows Predictions(Run run) => PredictionsCsv.Read(PredictionsCsv.PathIn(Path.GetDirectoryName(run.LogPath!)!, DataSplit.Test));
            return (VariantComparison.Compare(seeds.Select(s => (s, Predictions(a[s]), Predictions(b[s]))).ToList(), resamples), null);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            return (null, $"{e.Message} (predictions are read from each run's folder on this machine: compare where the runs' artifacts are)");
        }
    }

    /// <summary>The flips as CSV: seed, key, true label, each variant's prediction (empty: unparsed) and which variant got it right.</summary>
    public static string FlipsCsv(string variant, string against, VariantComparison c)
    {
        var text = new StringBuilder("seed,key,true,").Append(CsvField.Quote(variant)).Append(',').Append(CsvField.Quote(against)).Append(",right\n");
        foreach (var f in c.Seeds.SelectMany(s => s.Flips))
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{f.Seed},{CsvField.Quote(f.Key)},{CsvField.Quote(f.Truth)},{CsvField.Quote(f.PredictedA ?? "")},{CsvField.Quote(f.PredictedB ?? "")},{CsvField.Quote(f.RightInA ? variant : against)}\n"));
        return text.ToString();
    }
}
