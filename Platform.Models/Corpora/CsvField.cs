namespace EmotionLab.Models.Corpora;

/// <summary>One CSV field as RFC 4180 writes it: quoted only when it holds a comma, a quote or a line break.</summary>
public static class CsvField
{
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
