using System.Text;

namespace EmotionLab.Models.Corpora;

/// <summary>
/// A small RFC 4180 reader that keeps line numbers for error messages: CRLF or LF record ends,
/// quoted fields holding commas, line breaks and doubled quotes. Malformed quoting is reported
/// through <see cref="Problems"/> with the line it starts on, never thrown.
/// </summary>
public sealed class CsvReader
{
    private readonly string text;
    private int pos;
    private int line = 1;

    public CsvReader(string text) => this.text = text;

    /// <summary>(line, message) for every record whose quoting is broken; those records are not returned.</summary>
    public List<(int Line, string Message)> Problems { get; } = [];

    public IEnumerable<CsvRecord> Records()
    {
        while (pos < text.Length)
        {
            var start = line;
            var fields = new List<string>();
            var broken = ReadRecord(fields);
            if (broken is not null) Problems.Add((start, broken));
            else if (!(fields.Count == 1 && fields[0].Length == 0)) yield return new CsvRecord(start, fields);
        }
    }

    /// <summary>Reads up to and including the record's line end; returns a message when the quoting is malformed.</summary>
    private string? ReadRecord(List<string> fields)
    {
        var field = new StringBuilder();
        string? broken = null;
        while (true)
        {
            if (pos < text.Length && text[pos] == '"' && field.Length == 0)
            {
                var quoteLine = line;
                pos++;
                while (true)
                {
                    if (pos >= text.Length) return $"quoted field opened on line {quoteLine} never closes";
                    var c = text[pos++];
                    if (c == '"')
                    {
                        if (pos < text.Length && text[pos] == '"') { field.Append('"'); pos++; }
                        else break;
                    }
                    else
                    {
                        if (c == '\n') line++;
                        field.Append(c);
                    }
                }
                if (pos < text.Length && text[pos] is not (',' or '\r' or '\n'))
                    broken ??= $"text after the closing quote of field {fields.Count + 1}";
            }
            while (pos < text.Length && text[pos] is not (',' or '\r' or '\n'))
            {
                if (text[pos] == '"') broken ??= $"stray quote inside unquoted field {fields.Count + 1}";
                field.Append(text[pos++]);
            }
            fields.Add(field.ToString());
            field.Clear();
            if (pos >= text.Length) return broken;
            var end = text[pos++];
            if (end == ',') continue;
            if (end == '\r' && pos < text.Length && text[pos] == '\n') pos++;
            line++;
            return broken;
        }
    }
}
