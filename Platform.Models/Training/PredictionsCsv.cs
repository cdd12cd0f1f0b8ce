using System.Globalization;
using System.Text;
using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Training;

/// <summary>
/// A split's predictions as CSV: key, true label, predicted label (empty for an unparsed answer),
/// the generated answer when the model answers in words, then one probability column per class
/// ("p_neutral", ...), in label-set order. Written to a temporary file and renamed,
/// so a reader never sees half a file.
/// </summary>
public static class PredictionsCsv
{
    /// <summary>The file of a split's best-epoch predictions inside a run folder: predictions/test.csv.</summary>
    public static string PathIn(string runFolder, DataSplit split) =>
        System.IO.Path.Combine(runFolder, "predictions", split.ToString().ToLowerInvariant() + ".csv");

    public static void Write(string path, SplitPredictions predictions)
    {
        var text = new StringBuilder();
        text.Append("key,true,predicted");
        if (predictions.Answers is not null) text.Append(",answer");
        foreach (var label in predictions.Labels) text.Append(",p_").Append(CsvField.Quote(label));
        text.Append('\n');
        for (var i = 0; i < predictions.Keys.Count; i++)
        {
            var predicted = predictions.Predicted[i] == ConfusionMatrix.Unparsed ? "" : predictions.Labels[(int)predictions.Predicted[i]];
            text.Append(CsvField.Quote(predictions.Keys[i])).Append(',')
                .Append(CsvField.Quote(predictions.Labels[(int)predictions.Truth[i]])).Append(',')
                .Append(CsvField.Quote(predicted));
            if (predictions.Answers is not null) text.Append(',').Append(CsvField.Quote(predictions.Answers[i]));
            for (var c = 0; c < predictions.Labels.Count; c++)
                text.Append(',').Append(predictions.Probability(i, c).ToString("0.######", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        File.WriteAllText(partial, text.ToString(), new UTF8Encoding(false));
        File.Move(partial, path, overwrite: true);
    }

    /// <summary>
    /// Reads a predictions file back: keys, true and predicted labels (null: unparsed) in file order,
    /// and the label set from its probability columns. A malformed file throws with its name and line.
    /// </summary>
    public static PredictionRows Read(string path)
    {
        var reader = new CsvReader(File.ReadAllText(path));
        var records = reader.Records().ToList();
        if (reader.Problems.Count > 0) throw new InvalidDataException($"{path}: line {reader.Problems[0].Line}: {reader.Problems[0].Message}");
        if (records.Count == 0 || records[0].Fields is not ["key", "true", "predicted", ..] header)
            throw new InvalidDataException($"{path}: not a predictions file (its header must start key,true,predicted)");
        var labels = header.Where(f => f.StartsWith("p_", StringComparison.Ordinal)).Select(f => f[2..]).ToArray();
        var rows = new PredictionRows(path, labels, [], [], []);
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != header.Count) throw new InvalidDataException($"{path}: line {record.Line}: {record.Fields.Count} fields, the header has {header.Count}");
            rows.Keys.Add(record.Fields[0]);
            rows.Truth.Add(record.Fields[1]);
            rows.Predicted.Add(record.Fields[2].Length == 0 ? null : record.Fields[2]);
        }
        return rows;
    }
}

/// <summary>A predictions file read back: per utterance its key, true label and predicted label (null: unparsed).</summary>
public sealed record PredictionRows(string Path, IReadOnlyList<string> Labels, List<string> Keys, List<string> Truth, List<string?> Predicted);
