using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Tests.Corpora;

public sealed class CsvReaderTests
{
    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_records_keep_their_first_line()
    {
        var reader = new CsvReader("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",z\r\nlast,\r\n");
        var records = reader.Records().ToArray();
        Assert.Empty(reader.Problems);
        Assert.Equal([1, 2, 3, 5], records.Select(r => r.Line));
        Assert.Equal(["x, y", "say \"hi\""], records[1].Fields);
        Assert.Equal(["two\r\nlines", "z"], records[2].Fields);
        Assert.Equal(["last", ""], records[3].Fields);
    }

    [Fact]
    public void Lf_line_ends_and_a_missing_final_line_end_are_accepted()
    {
        var records = new CsvReader("a,b\nc,d").Records().ToArray();
        Assert.Equal([["a", "b"], ["c", "d"]], records.Select(r => r.Fields.ToArray()));
    }

    [Fact]
    public void Broken_quoting_is_reported_with_the_line_it_starts_on()
    {
        var reader = new CsvReader("a,b\r\nx\"y,z\r\n\"open,never closed\r\n");
        var records = reader.Records().ToArray();
        Assert.Equal([1], records.Select(r => r.Line));
        Assert.Equal([(2, "stray quote inside unquoted field 1"), (3, "quoted field opened on line 3 never closes")], reader.Problems);
    }
}
