using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>
/// A small IEMOCAP tree (Sessions 1, 2 and 5) in the release layout, imported once. One wav made
/// by ffmpeg is copied for every turn that has audio.
/// </summary>
public sealed class IemocapTreeFixture : IDisposable
{
    public IemocapTreeFixture()
    {
        Folder = CorpusFiles.NewTempFolder("iemocap");
        Root = Path.Combine(Folder, "IEMOCAP_full_release");
        Out = Path.Combine(Folder, "out");
        CorpusFiles.Ffmpeg(Folder, "-f", "lavfi", "-i", "sine=frequency=220:duration=0.25", "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", "tone.wav");
        Tone = Path.Combine(Folder, "tone.wav");

        // Summary lines out of time order (M001 before F001) and evaluator lines between them.
        Dialog(1, "Ses01F_impro01",
            [
                "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]", "",
                "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]",
                "C-E2:\tNeutral;\t()", "C-E3:\tNeutral;\t()", "A-E3:\tval 3; act 2; dom  2;\t()", "",
                "[10.0100 - 11.3925]\tSes01F_impro01_M000\texc\t[3.5000, 3.0000, 3.0000]",
                "[14.8872 - 18.0175]\tSes01F_impro01_M001\tfru\t[2.0000, 3.5000, 3.5000]",
                "[12.0000 - 14.0000]\tSes01F_impro01_F001\tang\t[1.5000, 4.0000, 4.0000]",
                "[20.0000 - 21.0000]\tSes01F_impro01_F002\txxx\t[2.5000, 2.5000, 2.5000]",
            ],
            [
                "Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.",
                "Ses01F_impro01_M000 [010.0100-011.3925]: Do you have your forms?",
                "Ses01F_impro01_MXX0 [011.5000-011.9000]: [LAUGHTER]",
                "Ses01F_impro01_F001 [012.0000-014.0000]: Yeah. [LAUGHTER]",
                "Ses01F_impro01_M001 [014.8872-018.0175]: Let me see them.",
                "Ses01F_impro01_F002 [020.0000-021.0000]: Is there a problem?",
            ],
            ["F000", "M000", "F001", "M001"]);
        CorpusFiles.WriteBytes(Root, "Session1/sentences/wav/Ses01F_impro01/._Ses01F_impro01_F000.wav", [0, 5, 22, 7]);
        CorpusFiles.WriteBytes(Root, "Session1/dialog/EmoEvaluation/._Ses01F_impro01.txt", [0, 5, 22, 7, 0, 0]);

        Dialog(1, "Ses01M_script01_1",
            [
                "[1.0000 - 2.0000]\tSes01M_script01_1_F000\tsad\t[2.0000, 2.0000, 2.0000]",
                "[2.0000 - 3.0000]\tSes01M_script01_1_F001\tneu\t[2.5000, 2.5000, 2.5000]",
                "[3.0000 - 4.0000]\tSes01M_script01_1_M000\thap\t[4.0000, 3.0000, 3.0000]",
                "[4.0000 - 5.0000]\tSes01M_script01_1_M001\tang\t[1.5000, 4.0000, 4.0000]",
                "[5.0000 - 6.0000]\tSes01M_script01_1_F002\tsad\t[2.0000, 2.0000, 2.0000]",
            ],
            [
                "Ses01M_script01_1_F000 [001.0000-002.0000]: I'm sorry.",
                "Ses01M_script01_1_F001 [002.0000-003.0000]: Really sorry.",
                "Ses01M_script01_1_M000 [003.0000-004.0000]: It's fine.",
                "Ses01M_script01_1_M001 [004.0000-005.0000]: No, it isn't.",
                "Ses01M_script01_1_F002 [005.0000-006.0000]: I know.",
            ],
            ["F000", "F001", "M000", "M001", "F002"]);

        Dialog(2, "Ses02F_impro02",
            [
                "[1.0000 - 2.0000]\tSes02F_impro02_F000\tneu\t[2.5000, 2.5000, 2.5000]",
                "[2.0000 - 3.0000]\tSes02F_impro02_M000\tsad\t[2.0000, 2.0000, 2.0000]",
            ],
            [
                "Ses02F_impro02_F000 [001.0000-002.0000]: Hi.",
                "Ses02F_impro02_M000 [002.0000-003.0000]: Bye.",
                "Ses02F_impro02_M001 [003.0000-004.0000]: Unlabelled.",
            ],
            ["F000", "M000", "F009"]);

        Dialog(5, "Ses05M_impro03",
            [
                "[1.0000 - 2.0000]\tSes05M_impro03_F000\thap\t[4.0000, 3.0000, 3.0000]",
                "[2.0000 - 3.0000]\tSes05M_impro03_M000\tneu\t[2.5000, 2.5000, 2.5000]",
                "[3.0000 - 4.0000]\tSes05M_impro03_F001\tsur\t[3.0000, 4.0000, 3.0000]",
            ],
            [
                "Ses05M_impro03_F000 [001.0000-002.0000]: Great!",
                "Ses05M_impro03_M000 [002.0000-003.0000]: Okay.",
                "Ses05M_impro03_F001 [003.0000-004.0000]: Really?",
            ],
            ["F000", "M000", "F001"]);

        Result = new IemocapImporter().Import(Root, Out);
    }

    public string Folder { get; }
    public string Root { get; }
    public string Out { get; }
    public string Tone { get; }
    public ImportResult Result { get; }
    public Corpus Corpus => Result.Corpus ?? throw new InvalidOperationException("import failed:\n" + Result.Report);

    public Dialogue Dialogue(string name) => Corpus.Dialogues.Single(d => d.Key == "iemocap-" + name);

    private void Dialog(int session, string dialog, string[] evaluation, string[] transcription, string[] wavTurns)
    {
        CorpusFiles.WriteLf(Root, $"Session{session}/dialog/EmoEvaluation/{dialog}.txt", evaluation);
        CorpusFiles.WriteLf(Root, $"Session{session}/dialog/transcriptions/{dialog}.txt", transcription);
        foreach (var turn in wavTurns)
            CorpusFiles.Copy(Tone, Root, $"Session{session}/sentences/wav/{dialog}/{dialog}_{turn}.wav");
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
