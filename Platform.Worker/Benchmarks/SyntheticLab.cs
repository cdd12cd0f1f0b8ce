using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmotionLab.Models.Experiments;
using Npgsql;
using NpgsqlTypes;

namespace EmotionLab.Worker.Benchmarks;

/// <summary>What <see cref="SyntheticLab"/> stored.</summary>
public sealed record SyntheticLabSummary(int Runs, IReadOnlyList<long> GridIds, long StepLosses, long EpochMetrics, long ConfusionMatrices, TimeSpan Elapsed)
{
    /// <summary>Every stored metric row: per-step losses, per-epoch scores per split, confusion matrices.</summary>
    public long MetricPoints => StepLosses + EpochMetrics + ConfusionMatrices;
}

/// <summary>
/// A lab of a chosen size for `bench dashboard`, written into an empty, migrated database with
/// PostgreSQL's binary COPY: three corpora, ablation grids (8 variants x 5 seeds each, one grid per
/// 500 runs), single experiments of 5 seeds for the other runs, runs across families, corpora and
/// statuses (the newest ones queued or running, as in a busy lab), and for every run that started,
/// step losses, train/validation/test scores per epoch and validation/test confusion matrices, so that
/// all metric rows together come to the requested number of points. Values are plausible (curves
/// rise, best epochs are chosen on validation, ablations score lower) and fixed by the seed.
/// </summary>
public static class SyntheticLab
{
    public const int VariantsPerGrid = 8;
    public const int SeedsPerExperiment = 5;
    public const int RunsPerGrid = 500;
    private static readonly string[] Families = ["baselines", "bcaf", "joint-vector", "eaa", "emoq"];
    private static readonly string[] GridVariants = ["full", "w/o ICN", "w/o BAN", "w/o CAN", "JAN", "BAN-SA", "BAN-CA", "layers=1"];
    private static readonly double[] VariantEffects = [0, -0.035, -0.02, -0.012, -0.008, -0.015, -0.01, -0.004];
    private static readonly string[] Splits = ["train", "validation", "test"];

    private sealed record LabCorpus(long Id, string Name, string Format, string[] Labels, int[] Support);

    private static readonly LabCorpus[] Corpora =
    [
        new(1, "meld", "meld", ["neutral", "joy", "sadness", "anger", "surprise", "fear", "disgust"], [1256, 402, 208, 345, 281, 50, 68]),
        new(2, "iemocap", "iemocap", ["neutral", "anger", "sadness", "happy"], [384, 170, 245, 442]),
        new(3, "emosynth", "emosynth", ["neutral", "joy", "sadness", "anger", "surprise", "fear", "disgust"], [120, 60, 60, 60, 40, 30, 30]),
    ];

    /// <summary>One planned run; Validation/Test hold its weighted F1 per epoch (index 0 = epoch 1).</summary>
    private sealed class PlannedRun
    {
        public long Id;
        public long ExperimentId;
        public long? GridId;
        public required string Family;
        public required LabCorpus Corpus;
        public string Variant = "";
        public int Seed;
        public required string Status;
        public double Quality;
        public double[] Validation = [];
        public double[] Test = [];
        public int Steps;
        public DateTime QueuedAt;
        public int Epochs => Validation.Length;
        public int? BestEpoch => Epochs == 0 ? null : Array.IndexOf(Validation, Validation.Max()) + 1;
    }

    private sealed record PlannedExperiment(long Id, string Name, string Family, LabCorpus Corpus, long? GridId, string Variant, double Effect);

    public static async Task<SyntheticLabSummary> WriteAsync(string connectionString, int runs, long metricPoints, int seed = 1, CancellationToken cancellation = default)
    {
        if (runs < 2 * VariantsPerGrid * SeedsPerExperiment)
            throw new ArgumentOutOfRangeException(nameof(runs), runs, $"a synthetic lab needs at least {2 * VariantsPerGrid * SeedsPerExperiment} runs (one grid of {VariantsPerGrid * SeedsPerExperiment} and as many single runs)");
        var watch = Stopwatch.StartNew();
        var random = new Random(seed);
        var start = new DateTime(2026, 1, 5, 8, 0, 0, DateTimeKind.Utc);
        var gridCount = Math.Max(1, runs / RunsPerGrid);
        var (experiments, planned) = Plan(runs, gridCount, random, start);
        PlanMetrics(planned, metricPoints, random);

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync(cancellation);
        await ExecuteAsync(connection, "SET synchronous_commit = off", cancellation);
        await WriteCorporaAsync(connection, cancellation);
        await WriteGridsAsync(connection, gridCount, start, cancellation);
        await WriteExperimentsAsync(connection, experiments, start, cancellation);
        await WriteRunsAsync(connection, planned, cancellation);
        var constraints = await DropConstraintsAsync(connection, ["step_losses", "epoch_metrics", "confusion_matrices"], cancellation);
        var stepLosses = await WriteStepLossesAsync(connection, planned, seed, cancellation);
        var epochMetrics = await WriteEpochMetricsAsync(connection, planned, seed, cancellation);
        var matrices = await WriteConfusionMatricesAsync(connection, planned, cancellation);
        foreach (var restore in constraints) await ExecuteAsync(connection, restore, cancellation);
        foreach (var table in new[] { "corpora", "grids", "experiments", "runs" })
            await ExecuteAsync(connection, $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))", cancellation);
        // Fresh statistics and visibility map, as autovacuum would leave a settled database.
        await ExecuteAsync(connection, "VACUUM (ANALYZE)", cancellation);
        return new SyntheticLabSummary(planned.Count, [.. Enumerable.Range(1, gridCount).Select(g => (long)g)], stepLosses, epochMetrics, matrices, watch.Elapsed);
    }

    // Grids and single experiments in shuffled order, so grid runs are spread over the run ids as
    // in a lab that submits both; run ids follow submission order and the newest 3% are unfinished.
    private static (List<PlannedExperiment>, List<PlannedRun>) Plan(int runs, int gridCount, Random random, DateTime start)
    {
        var blocks = new List<List<(string Family, LabCorpus Corpus, long? GridId, string Variant, double Effect)>>();
        for (var g = 1; g <= gridCount; g++)
        {
            var (family, corpus) = (Families[g % Families.Length], Corpora[g % Corpora.Length]);
            blocks.Add([.. GridVariants.Select((v, i) => (family, corpus, (long?)g, v, VariantEffects[i]))]);
        }
        var singleRuns = runs - gridCount * VariantsPerGrid * SeedsPerExperiment;
        for (var i = 0; i < (singleRuns + SeedsPerExperiment - 1) / SeedsPerExperiment; i++)
            blocks.Add([(Families[random.Next(Families.Length)], Corpora[random.Next(Corpora.Length)], null, "", 0.0)]);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(blocks));

        var experiments = new List<PlannedExperiment>();
        var planned = new List<PlannedRun>(runs);
        foreach (var block in blocks)
        foreach (var (family, corpus, gridId, variant, effect) in block)
        {
            var experiment = new PlannedExperiment(experiments.Count + 1,
                gridId is { } g ? $"grid {g}: {variant}" : $"{family} on {corpus.Name} #{experiments.Count + 1}", family, corpus, gridId, variant, effect);
            experiments.Add(experiment);
            var familyQuality = 0.52 + 0.035 * Array.IndexOf(Families, family) + (corpus.Name == "emosynth" ? 0.15 : 0);
            for (var s = 1; s <= SeedsPerExperiment && planned.Count < runs; s++)
                planned.Add(new PlannedRun
                {
                    Id = planned.Count + 1, ExperimentId = experiment.Id, GridId = gridId, Family = family, Corpus = corpus, Variant = variant, Seed = s,
                    Status = "Succeeded", Quality = familyQuality + effect + Gaussian(random) * 0.008, QueuedAt = start.AddMinutes(planned.Count),
                });
        }
        foreach (var run in planned)
        {
            var position = (run.Id - 1.0) / runs;
            var draw = random.NextDouble();
            run.Status = position >= 0.97
                ? (draw < 0.35 ? "Running" : "Queued")
                : draw < 0.88 ? "Succeeded" : draw < 0.96 ? "Failed" : "Canceled";
        }
        return (experiments, planned);
    }

    // Epoch curves per run, then as many steps per epoch as it takes for all metric rows
    // (steps + 3 score rows + 2 matrices per epoch) to come to the requested points.
    private static void PlanMetrics(List<PlannedRun> runs, long metricPoints, Random random)
    {
        foreach (var run in runs)
        {
            var full = random.Next(15, 31);
            var epochs = run.Status switch
            {
                "Queued" => 0,
                "Succeeded" => full,
                "Running" => random.Next(1, full),
                _ => random.Next(1, full / 2 + 1),
            };
            run.Validation = new double[epochs];
            run.Test = new double[epochs];
            for (var e = 0; e < epochs; e++)
            {
                run.Validation[e] = Math.Clamp(run.Quality - 0.2 * Math.Exp(-(e + 1) / 5.0) + Gaussian(random) * 0.004, 0.05, 0.99);
                run.Test[e] = Math.Clamp(run.Validation[e] - 0.01 + Gaussian(random) * 0.004, 0.05, 0.99);
            }
        }
        var totalEpochs = runs.Sum(r => (long)r.Epochs);
        if (totalEpochs == 0) return;
        var stepsBudget = Math.Max(totalEpochs, metricPoints - 5 * totalEpochs);
        var stepsPerEpoch = stepsBudget / totalEpochs;
        var remainder = stepsBudget - stepsPerEpoch * totalEpochs;
        foreach (var run in runs.Where(r => r.Epochs > 0))
        {
            run.Steps = (int)(stepsPerEpoch * run.Epochs);
            var extra = (int)Math.Min(remainder, run.Epochs);
            run.Steps += extra;
            remainder -= extra;
        }
    }

    private static async Task WriteCorporaAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        foreach (var corpus in Corpora)
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO corpora (id, name, format, source_path, content_hash, imported_at, report_json) VALUES (@id, @name, @format, @path, @hash, @at, '[]')", connection);
            command.Parameters.AddWithValue("id", corpus.Id);
            command.Parameters.AddWithValue("name", corpus.Name);
            command.Parameters.AddWithValue("format", corpus.Format);
            command.Parameters.AddWithValue("path", "/data/" + corpus.Name);
            command.Parameters.AddWithValue("hash", $"synthetic-{corpus.Name}");
            command.Parameters.AddWithValue("at", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            await command.ExecuteNonQueryAsync(cancellation);
        }
    }

    private static async Task WriteGridsAsync(NpgsqlConnection connection, int gridCount, DateTime start, CancellationToken cancellation)
    {
        // As the grid builder stores an axis: each value a label and the spec fields it sets.
        var axes = JsonSerializer.Serialize(new[] { GridAxis.Over("bcaf.variant", [.. GridVariants.Select(v => JsonValue.Create(v)!)]) }, ExperimentSpecJson.Options);
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY grids (id, name, family, base_spec_json, axes_json, seeds, reference_variant, created_at) FROM STDIN (FORMAT BINARY)", cancellation);
        for (var g = 1; g <= gridCount; g++)
        {
            var family = Families[g % Families.Length];
            writer.StartRow();
            writer.Write((long)g, NpgsqlDbType.Bigint);
            writer.Write($"{family} ablation {g}", NpgsqlDbType.Text);
            writer.Write(family, NpgsqlDbType.Text);
            writer.Write($$"""{"family": "{{family}}", "corpus": "{{Corpora[g % Corpora.Length].Name}}"}""", NpgsqlDbType.Jsonb);
            writer.Write(axes, NpgsqlDbType.Jsonb);
            writer.Write(Enumerable.Range(1, SeedsPerExperiment).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer);
            writer.Write(GridVariants[0], NpgsqlDbType.Text);
            writer.Write(start, NpgsqlDbType.TimestampTz);
        }
        await writer.CompleteAsync(cancellation);
    }

    private static async Task WriteExperimentsAsync(NpgsqlConnection connection, List<PlannedExperiment> experiments, DateTime start, CancellationToken cancellation)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY experiments (id, name, family, corpus_id, spec_json, spec_hash, grid_id, created_at) FROM STDIN (FORMAT BINARY)", cancellation);
        foreach (var e in experiments)
        {
            writer.StartRow();
            writer.Write(e.Id, NpgsqlDbType.Bigint);
            writer.Write(e.Name, NpgsqlDbType.Text);
            writer.Write(e.Family, NpgsqlDbType.Text);
            writer.Write(e.Corpus.Id, NpgsqlDbType.Bigint);
            writer.Write($$"""{"family": "{{e.Family}}", "corpus": "{{e.Corpus.Name}}", "variant": "{{e.Variant}}"}""", NpgsqlDbType.Jsonb);
            writer.Write($"spec-{e.Id:x8}", NpgsqlDbType.Text);
            WriteNullable(writer, e.GridId, NpgsqlDbType.Bigint);
            writer.Write(start, NpgsqlDbType.TimestampTz);
        }
        await writer.CompleteAsync(cancellation);
    }

    private static async Task WriteRunsAsync(NpgsqlConnection connection, List<PlannedRun> runs, CancellationToken cancellation)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY runs (id, experiment_id, grid_id, family, corpus_id, variant, seed, status, attempt, node, device, queued_at, started_at, finished_at, " +
            "cancel_requested, progress, best_epoch, error, code_version, corpus_hash, spec_hash, log_path) FROM STDIN (FORMAT BINARY)", cancellation);
        foreach (var run in runs)
        {
            var started = run.Status != "Queued";
            var finished = run.Status is "Succeeded" or "Failed" or "Canceled";
            var node = $"gpu-node-{run.Id % 4 + 1}";
            writer.StartRow();
            writer.Write(run.Id, NpgsqlDbType.Bigint);
            writer.Write(run.ExperimentId, NpgsqlDbType.Bigint);
            WriteNullable(writer, run.GridId, NpgsqlDbType.Bigint);
            writer.Write(run.Family, NpgsqlDbType.Text);
            writer.Write(run.Corpus.Id, NpgsqlDbType.Bigint);
            writer.Write(run.Variant, NpgsqlDbType.Text);
            writer.Write(run.Seed, NpgsqlDbType.Integer);
            writer.Write(run.Status, NpgsqlDbType.Varchar);
            writer.Write(started ? 1 : 0, NpgsqlDbType.Integer);
            WriteNullable(writer, started ? node : null, NpgsqlDbType.Text);
            WriteNullable(writer, started ? $"cuda:{run.Id % 2}" : null, NpgsqlDbType.Text);
            writer.Write(run.QueuedAt, NpgsqlDbType.TimestampTz);
            WriteNullable(writer, started ? run.QueuedAt.AddMinutes(1) : (DateTime?)null, NpgsqlDbType.TimestampTz);
            WriteNullable(writer, finished ? run.QueuedAt.AddMinutes(1 + 2 * run.Epochs) : (DateTime?)null, NpgsqlDbType.TimestampTz);
            writer.Write(false, NpgsqlDbType.Boolean);
            writer.Write(run.Status == "Succeeded" ? 1.0 : run.Epochs / 30.0, NpgsqlDbType.Double);
            WriteNullable(writer, run.BestEpoch, NpgsqlDbType.Integer);
            WriteNullable(writer, run.Status == "Failed" ? $"NaN loss at step {run.Steps}: lower the learning rate" : null, NpgsqlDbType.Text);
            writer.Write("synthetic", NpgsqlDbType.Text);
            writer.Write($"synthetic-{run.Corpus.Name}", NpgsqlDbType.Text);
            writer.Write($"spec-{run.ExperimentId:x8}-{run.Seed}", NpgsqlDbType.Text);
            WriteNullable(writer, started ? $"runs/{run.Id}/train.log" : null, NpgsqlDbType.Text);
        }
        await writer.CompleteAsync(cancellation);
    }

    private static async Task<long> WriteStepLossesAsync(NpgsqlConnection connection, List<PlannedRun> runs, int seed, CancellationToken cancellation)
    {
        var random = new Random(seed + 1);
        long rows = 0;
        await using var writer = await connection.BeginBinaryImportAsync("COPY step_losses (run_id, step, epoch, loss, learning_rate) FROM STDIN (FORMAT BINARY)", cancellation);
        foreach (var run in runs.Where(r => r.Steps > 0))
        {
            var perEpoch = (run.Steps + run.Epochs - 1) / run.Epochs;
            for (var step = 1; step <= run.Steps; step++)
            {
                writer.StartRow();
                writer.Write(run.Id, NpgsqlDbType.Bigint);
                writer.Write(step, NpgsqlDbType.Integer);
                writer.Write((step - 1) / perEpoch + 1, NpgsqlDbType.Integer);
                writer.Write(0.35 + 1.6 * Math.Exp(-3.0 * step / run.Steps) + 0.05 * random.NextDouble(), NpgsqlDbType.Double);
                writer.Write(1e-4, NpgsqlDbType.Double);
            }
            rows += run.Steps;
        }
        await writer.CompleteAsync(cancellation);
        return rows;
    }

    private static async Task<long> WriteEpochMetricsAsync(NpgsqlConnection connection, List<PlannedRun> runs, int seed, CancellationToken cancellation)
    {
        var random = new Random(seed + 2);
        long rows = 0;
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY epoch_metrics (run_id, epoch, split, loss, wa, ua, weighted_f1, macro_f1, precision, recall, f1) FROM STDIN (FORMAT BINARY)", cancellation);
        foreach (var run in runs)
        {
            var classes = run.Corpus.Labels.Length;
            for (var e = 0; e < run.Epochs; e++)
            foreach (var split in Splits)
            {
                var weightedF1 = split switch
                {
                    "train" => Math.Min(0.99, run.Quality + 0.25 * (1 - Math.Exp(-(e + 1) / 6.0))),
                    "validation" => run.Validation[e],
                    _ => run.Test[e],
                };
                var perClass = new double[classes];
                for (var c = 0; c < classes; c++) perClass[c] = Math.Clamp(weightedF1 + (random.NextDouble() - 0.5) * 0.3, 0, 1);
                writer.StartRow();
                writer.Write(run.Id, NpgsqlDbType.Bigint);
                writer.Write(e + 1, NpgsqlDbType.Integer);
                writer.Write(split, NpgsqlDbType.Text);
                writer.Write(0.4 + 1.5 * Math.Exp(-(e + 1) / 8.0) + (split == "train" ? 0 : 0.1), NpgsqlDbType.Double);
                writer.Write(Math.Min(1, weightedF1 + 0.02), NpgsqlDbType.Double);
                writer.Write(Math.Max(0, weightedF1 - 0.03), NpgsqlDbType.Double);
                writer.Write(weightedF1, NpgsqlDbType.Double);
                writer.Write(Math.Max(0, weightedF1 - 0.05), NpgsqlDbType.Double);
                writer.Write(perClass, NpgsqlDbType.Array | NpgsqlDbType.Double);
                writer.Write(perClass, NpgsqlDbType.Array | NpgsqlDbType.Double);
                writer.Write(perClass, NpgsqlDbType.Array | NpgsqlDbType.Double);
                rows++;
            }
        }
        await writer.CompleteAsync(cancellation);
        return rows;
    }

    // Each class keeps about its recall (the run's score) on the diagonal; the rest is spread over the other classes.
    private static async Task<long> WriteConfusionMatricesAsync(NpgsqlConnection connection, List<PlannedRun> runs, CancellationToken cancellation)
    {
        long rows = 0;
        await using var writer = await connection.BeginBinaryImportAsync("COPY confusion_matrices (run_id, epoch, split, labels, counts) FROM STDIN (FORMAT BINARY)", cancellation);
        foreach (var run in runs)
        {
            var (labels, support) = (run.Corpus.Labels, run.Corpus.Support);
            var n = labels.Length;
            for (var e = 0; e < run.Epochs; e++)
            foreach (var (split, score) in new[] { ("validation", run.Validation[e]), ("test", run.Test[e]) })
            {
                var counts = new int[n * n];
                for (var row = 0; row < n; row++)
                {
                    var correct = (int)Math.Round(support[row] * score);
                    counts[row * n + row] = correct;
                    var wrong = support[row] - correct;
                    for (var column = 0; column < n; column++)
                        if (column != row) counts[row * n + column] = wrong / (n - 1) + (column == (row + 1) % n ? wrong % (n - 1) : 0);
                }
                writer.StartRow();
                writer.Write(run.Id, NpgsqlDbType.Bigint);
                writer.Write(e + 1, NpgsqlDbType.Integer);
                writer.Write(split, NpgsqlDbType.Text);
                writer.Write(labels, NpgsqlDbType.Array | NpgsqlDbType.Text);
                writer.Write(counts, NpgsqlDbType.Array | NpgsqlDbType.Integer);
                rows++;
            }
        }
        await writer.CompleteAsync(cancellation);
        return rows;
    }

    /// <summary>
    /// Drops the keys and foreign keys of the bulk-loaded tables and returns the statements that
    /// put them back as the migrations defined them: building a key once over the loaded rows and
    /// validating a foreign key with one join is several times faster than checking row by row.
    /// </summary>
    private static async Task<List<string>> DropConstraintsAsync(NpgsqlConnection connection, string[] tables, CancellationToken cancellation)
    {
        var constraints = new List<(string Table, string Name, string Definition, char Type)>();
        await using (var command = new NpgsqlCommand(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c " +
            "WHERE c.conrelid = ANY(@tables::regclass[]) AND c.contype IN ('p', 'f')", connection))
        {
            command.Parameters.AddWithValue("tables", tables);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation)) constraints.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetChar(3)));
        }
        // Foreign keys go first and come back last.
        foreach (var c in constraints.OrderBy(c => c.Type == 'p'))
            await ExecuteAsync(connection, $"ALTER TABLE {c.Table} DROP CONSTRAINT {c.Name}", cancellation);
        return [.. constraints.OrderBy(c => c.Type == 'f').Select(c => $"ALTER TABLE {c.Table} ADD CONSTRAINT {c.Name} {c.Definition}")];
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v) writer.Write(v, type);
        else writer.WriteNull();
    }

    private static void WriteNullable(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type)
    {
        if (value is not null) writer.Write(value, type);
        else writer.WriteNull();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellation);
    }

    // Box–Muller: a standard normal draw.
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
