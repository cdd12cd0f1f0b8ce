using System.Text.Encodings.Web;
using System.Text.Json;

namespace EmotionLab.Models.Corpora;

/// <summary>
/// EmoBox-style JSONL manifest: one object per utterance with key, wav, length (seconds), emo (the
/// raw label), split, fold, dialogue, index, speaker, text, sample_rate, channel, audio_ok, reason.
/// Written to a temporary file and moved into place, so readers never see half a manifest.
/// </summary>
public static class ManifestWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(Corpus corpus, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var path = Path.Combine(outDir, corpus.Name + ".jsonl");
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            foreach (var u in corpus.Utterances)
            {
                using (var w = new Utf8JsonWriter(stream, Options)) WriteLine(w, u);
                stream.WriteByte((byte)'\n');
            }
        }
        File.Move(temp, path, overwrite: true);
        return path;
    }

    private static void WriteLine(Utf8JsonWriter w, Utterance u)
    {
        w.WriteStartObject();
        w.WriteString("key", u.Key);
        w.WriteString("wav", u.AudioPath);
        if (u.Duration is { } d) w.WriteNumber("length", Math.Round(d, 4)); else w.WriteNull("length");
        w.WriteString("emo", u.RawLabel);
        if (u.RawSentiment is not null) w.WriteString("sentiment", u.RawSentiment);
        w.WriteString("split", u.Split);
        if (u.Fold is { } f) w.WriteNumber("fold", f); else w.WriteNull("fold");
        w.WriteString("dialogue", u.Dialogue);
        w.WriteNumber("index", u.Index);
        w.WriteString("speaker", u.Speaker);
        w.WriteString("text", u.Text);
        w.WriteNumber("start", Math.Round(u.Start.TotalSeconds, 4));
        w.WriteNumber("end", Math.Round(u.End.TotalSeconds, 4));
        if (u.SampleRate is { } r) w.WriteNumber("sample_rate", r); else w.WriteNull("sample_rate");
        w.WriteNumber("channel", 1);
        w.WriteBoolean("audio_ok", u.AudioOk);
        w.WriteString("reason", u.AudioProblem);
        w.WriteEndObject();
    }
}
