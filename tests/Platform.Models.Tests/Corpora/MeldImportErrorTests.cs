using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>Data errors fail the whole MELD import with every problem listed (file, line, message) and nothing written.</summary>
public sealed class MeldImportErrorTests : IDisposable
{
    private readonly string folder = CorpusFiles.NewTempFolder("meld-errors");
    private string Root => Path.Combine(folder, "MELD.Raw");
    private string Out => Path.Combine(folder, "out");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Every_data_error_of_every_file_is_reported_and_no_corpus_or_manifest_comes_back()
    {
        CorpusFiles.WriteCrlf(Root, "train_sent_emo.csv", MeldImporter.Header,
            "1,Fine.,Joey,joy,positive,0,0,1,1,\"0:00:01,000\",\"0:00:02,000\"",
            "2,Oh, no comma quoting,Joey,joy,positive,0,1,1,1,\"0:00:02,000\",\"0:00:03,000\"",
            "3,Bad time.,Joey,joy,positive,0,2,1,1,\"0:00:03\",\"0:00:04,000\"",
            "4,Hmm.,Joey,happy,positive,0,3,1,1,\"0:00:04,000\",\"0:00:05,000\"",
            "5,Again.,Joey,joy,positive,0,0,1,1,\"0:00:05,000\",\"0:00:06,000\"",
            "6,Dia x.,Joey,joy,positive,x,4,1,1,\"0:00:06,000\",\"0:00:07,000\"");
        CorpusFiles.WriteCrlf(Root, "dev_sent_emo.csv", "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,StartTime,EndTime,Extra",
            "1,Hi.,Phoebe,neutral,neutral,0,0,4,2,\"0:00:10,000\",\"0:00:11,000\"");
        CorpusFiles.WriteCrlf(Root, "test_sent_emo.csv", MeldImporter.Header,
            "1,Hi.,Ross,neutral,meh,0,0,4,2,\"0:00:10,000\",\"0:00:11,000\"",
            "2,\"unterminated,Ross,neutral,neutral,0,1,4,2,\"0:00:10,000\",\"0:00:11,000\"");

        var result = new MeldImporter().Import(Root, Out);

        Assert.False(result.Succeeded);
        Assert.Null(result.Corpus);
        Assert.Null(result.ManifestPath);
        Assert.False(Directory.Exists(Out), "nothing is extracted or written for a failed import");
        Assert.Equal(
            [
                ("dev_sent_emo.csv", (int?)1, "wrong header 'Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,StartTime,EndTime,Extra'"),
                ("test_sent_emo.csv", 2, "unknown sentiment label 'meh'"),
                ("test_sent_emo.csv", 3, "malformed row: text after the closing quote of field 2"),
                ("train_sent_emo.csv", 3, "malformed row: 12 fields, expected 11"),
                ("train_sent_emo.csv", 4, "malformed row: StartTime '0:00:03' is not a time h:mm:ss,ms"),
                ("train_sent_emo.csv", 5, "unknown emotion label 'happy'"),
                ("train_sent_emo.csv", 6, "duplicate key: dialogue 0 utterance 0 already on line 2"),
                ("train_sent_emo.csv", 7, "malformed row: Dialogue_ID 'x' is not a non-negative integer"),
            ],
            result.Report.Errors.Select(p => (p.File, p.Line, p.Message)));
        Assert.Contains(MeldImporter.Header, result.Report.Errors[0].Remedy);
        Assert.All(result.Report.Errors, p => Assert.False(string.IsNullOrWhiteSpace(p.Remedy)));
        // Media folders are absent here: reported as warnings alongside the errors, not instead of them.
        Assert.Equal(["dev_splits_complete", "output_repeated_splits_test", "train/train_splits"], result.Report.Warnings.Select(p => p.File));
    }

    [Fact]
    public void A_missing_annotation_file_is_an_error()
    {
        CorpusFiles.WriteCrlf(Root, "train_sent_emo.csv", MeldImporter.Header);
        CorpusFiles.WriteCrlf(Root, "dev/dev_sent_emo.csv", MeldImporter.Header);

        var result = new MeldImporter().Import(Root, Out);

        Assert.Equal([("test_sent_emo.csv", (int?)null, "annotation file not found")], result.Report.Errors.Select(p => (p.File, p.Line, p.Message)));
    }
}
