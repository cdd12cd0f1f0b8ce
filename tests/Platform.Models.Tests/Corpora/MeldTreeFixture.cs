using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>
/// A small MELD tree with every quirk of CORPORA.md, imported once and shared by the MELD tests
/// (ffmpeg is the slow part). It is imported a second time unchanged, and a third time after one
/// wav was made older than its clip, to observe the skip-when-done rule.
/// </summary>
public sealed class MeldTreeFixture : IDisposable
{
    public const double MaxClipSeconds = 0.8;

    public MeldTreeFixture()
    {
        Folder = CorpusFiles.NewTempFolder("meld");
        Root = Path.Combine(Folder, "MELD.Raw");
        Out = Path.Combine(Folder, "out");
        var media = Path.Combine(Folder, "media");
        Directory.CreateDirectory(media);
        // A 1 s tone; -t 0.5 cuts the short clips. Only the named channel carries the tone.
        CorpusFiles.Ffmpeg(media, "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
            "-t", "0.5", "-af", "pan=5.1|FC=c0", "-c:a", "aac", "fc51.mp4",
            "-t", "0.5", "-af", "pan=5.1|FL=c0|FR=c0|LFE=c0|BL=c0|BR=c0", "-c:a", "aac", "nofc51.mp4",
            "-t", "0.5", "-af", "pan=stereo|FL=c0", "-c:a", "aac", "left.mp4",
            "-t", "0.5", "-af", "pan=stereo|FR=c0", "-c:a", "aac", "right.mp4",
            "-t", "0.5", "-ac", "1", "-c:a", "aac", "mono.mp4",
            "-ac", "1", "-c:a", "aac", "long.mp4");
        string M(string name) => Path.Combine(media, name);

        const string header = MeldImporter.Header;
        CorpusFiles.WriteCrlf(Root, "train_sent_emo.csv", header,
            "1,\"Oh, my God, he\u0092s lost it. Just \u0093lost\u0094 it.\",Chandler,surprise,negative,0,0,8,21,\"0:16:03,963\",\"0:16:07,041\"",
            "2,Fine.,Joey,joy,positive,0,3,8,21,\"0:16:09,000\",\"0:16:10,500\"",
            "2,\"He said \"\"no\"\", twice.\",The Interviewer,neutral,neutral,0,1,8,21,\"00:16:07,100\",\"00:16:08,200\"",
            "3,Centre silent.,Monica,fear,negative,2,0,1,1,\"0:00:01,000\",\"0:00:02,000\"",
            "4,Right only.,Monica,disgust,negative,2,1,1,1,\"0:00:02,000\",\"0:00:03,000\"",
            "5,Too long.,Ross,anger,negative,1,0,3,5,\"1:02:03,004\",\"1:02:05,000\"",
            "6,Broken.,Rachel,sadness,negative,1,1,3,5,\"1:02:06,000\",\"1:02:07,000\"");
        CorpusFiles.Copy(M("fc51.mp4"), Root, "train/train_splits/dia0_utt0.mp4");
        CorpusFiles.Copy(M("left.mp4"), Root, "train/train_splits/dia0_utt1.mp4");
        CorpusFiles.Copy(M("mono.mp4"), Root, "train/train_splits/dia0_utt3.mp4");
        CorpusFiles.Copy(M("nofc51.mp4"), Root, "train/train_splits/dia2_utt0.mp4");
        CorpusFiles.Copy(M("right.mp4"), Root, "train/train_splits/dia2_utt1.mp4");
        CorpusFiles.Copy(M("long.mp4"), Root, "train/train_splits/dia1_utt0.mp4");
        CorpusFiles.WriteBytes(Root, "train/train_splits/dia1_utt1.mp4", "this is not an mp4 file at all"u8.ToArray());
        CorpusFiles.WriteBytes(Root, "train/train_splits/._dia0_utt0.mp4", [0, 5, 22, 7]);

        CorpusFiles.WriteCrlf(Root, "dev_sent_emo.csv", header,
            "1,Hi.,Phoebe,neutral,neutral,0,0,4,2,\"0:00:10,000\",\"0:00:11,000\"",
            "2,Where?,Phoebe,surprise,positive,0,1,4,2,\"0:00:11,000\",\"0:00:12,000\"",
            "3,Empty.,Joey,joy,positive,0,2,4,2,\"0:00:12,000\",\"0:00:13,000\"");
        CorpusFiles.Copy(M("mono.mp4"), Root, "dev_splits_complete/dia0_utt0.mp4");
        CorpusFiles.WriteBytes(Root, "dev_splits_complete/dia0_utt2.mp4", []);

        CorpusFiles.WriteCrlf(Root, "test_sent_emo.csv", header,
            "1,Prefixed.,Ross,sadness,negative,0,0,5,3,\"0:04:58,000\",\"0:04:59,250\"",
            "2,Zero length.,Ross,neutral,neutral,0,1,5,3,\"0:05:00,500\",\"0:05:00,500\"");
        CorpusFiles.Copy(M("fc51.mp4"), Root, "output_repeated_splits_test/final_videos_testdia0_utt0.mp4");
        CorpusFiles.Copy(M("mono.mp4"), Root, "output_repeated_splits_test/dia0_utt1.mp4");
        CorpusFiles.Copy(M("mono.mp4"), Root, "output_repeated_splits_test/dia5_utt0.mp4");

        var importer = new MeldImporter { MaxClipSeconds = MaxClipSeconds };
        Result = importer.Import(Root, Out);

        WavTimesAfterFirstImport = WavTimes();
        Reimport = importer.Import(Root, Out);
        WavTimesAfterReimport = WavTimes();

        StaleWav = Path.Combine(Out, "wav", "train", "dia0_utt3.wav");
        File.SetLastWriteTimeUtc(StaleWav, File.GetLastWriteTimeUtc(Path.Combine(Root, "train/train_splits/dia0_utt3.mp4")).AddMinutes(-5));
        StaleWavTimeBefore = File.GetLastWriteTimeUtc(StaleWav);
        importer.Import(Root, Out);
        StaleWavTimeAfter = File.GetLastWriteTimeUtc(StaleWav);
    }

    public string Folder { get; }
    public string Root { get; }
    public string Out { get; }
    public ImportResult Result { get; }
    public ImportResult Reimport { get; }
    public IReadOnlyDictionary<string, DateTime> WavTimesAfterFirstImport { get; }
    public IReadOnlyDictionary<string, DateTime> WavTimesAfterReimport { get; }
    public string StaleWav { get; }
    public DateTime StaleWavTimeBefore { get; }
    public DateTime StaleWavTimeAfter { get; }

    public Corpus Corpus => Result.Corpus ?? throw new InvalidOperationException("import failed:\n" + Result.Report);

    private Dictionary<string, DateTime> WavTimes() =>
        Directory.EnumerateFiles(Out, "*.wav", SearchOption.AllDirectories).ToDictionary(f => f, File.GetLastWriteTimeUtc);

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
