using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EmotionLab.Models.Audio;
using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Features;

/// <summary>
/// Extracted features of a corpus (log-mel or prosody frames, or a frozen pretrained encoder's
/// hidden states of the audio or the transcript), kept under the artifact root per (corpus fingerprint,
/// extractor fingerprint): one concatenated float32 matrix (memory-mapped for reading) plus an
/// index of keys, frame offsets and lengths, and the list of utterances without usable audio.
/// Opening a cache whose inputs are unchanged reads it; anything changed gets a new folder, so
/// extraction runs again. A cache is written to a temporary folder and renamed when complete.
/// </summary>
public sealed class FeatureCache : IDisposable
{
    private const string MatrixFile = "features.f32", IndexFile = "index.json";
    private readonly Dictionary<string, (long offset, int frames)> index;
    private readonly MemoryMappedFile? file;
    private readonly MemoryMappedViewAccessor? view;

    private FeatureCache(string folder, int dimensions, Dictionary<string, (long, int)> index, IReadOnlyList<MissingAudio> missing, bool extracted)
    {
        (Folder, Dimensions, this.index, Missing, Extracted) = (folder, dimensions, index, missing, extracted);
        var matrix = Path.Combine(folder, MatrixFile);
        if (new FileInfo(matrix).Length == 0) return; // nothing usable: no mapping of an empty file
        file = MemoryMappedFile.CreateFromFile(matrix, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
    }

    public string Folder { get; }
    public int Dimensions { get; }

    /// <summary>Utterances that have no features, and why (unusable audio, unreadable file).</summary>
    public IReadOnlyList<MissingAudio> Missing { get; }

    /// <summary>True when this Open extracted the features, false when it found them cached.</summary>
    public bool Extracted { get; }

    /// <summary>For a run log: the extractor's name, whether this Open extracted or reused the features, and where they are.</summary>
    public string Describe(string extractor) => $"{extractor}, {(Extracted ? "extracted" : "read from the cache")} ({Folder})";

    public int Count => index.Count;

    public bool Contains(string key) => index.ContainsKey(key);

    public FeatureMatrix Get(string key)
    {
        if (!index.TryGetValue(key, out var entry)) throw new KeyNotFoundException($"no features for '{key}' in {Folder}");
        var values = new float[(long)entry.frames * Dimensions];
        view!.ReadArray(entry.offset * Dimensions * sizeof(float), values, 0, values.Length);
        return new FeatureMatrix(entry.frames, Dimensions, values);
    }

    /// <summary>The audio features of every utterance with usable audio (16 kHz mono, resampled when needed).</summary>
    public static FeatureCache Open(Corpus corpus, IAudioFeatureExtractor extractor, string artifactRoot, int parallelism = 2) =>
        Open(corpus, extractor.Name, extractor.Fingerprint, extractor.Dimensions, artifactRoot, parallelism, AudioSource(extractor));

    /// <summary>The text features (one row per token) of every utterance's transcript.</summary>
    public static FeatureCache Open(Corpus corpus, ITextFeatureExtractor extractor, string artifactRoot, int parallelism = 2) =>
        Open(corpus, extractor.Name, extractor.Fingerprint, extractor.Dimensions, artifactRoot, parallelism,
            u => (extractor.Extract(u.Text), null));

    // Two trainers of a grid starting together take turns: the second finds the first's cache.
    private static FeatureCache Open(Corpus corpus, string name, string fingerprint, int dimensions, string artifactRoot, int parallelism,
        Func<Utterance, (FeatureMatrix? features, string? problem)> extract)
    {
        var corpusHash = CorpusFingerprint.Content(corpus);
        var extractorHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint))).ToLowerInvariant();
        var folder = Path.Combine(artifactRoot, "features", $"{corpus.Name}-{corpusHash[..16]}-{name}-{extractorHash[..16]}");
        if (File.Exists(Path.Combine(folder, IndexFile))) return Read(folder, extracted: false);
        using var folderLock = FolderLock.AcquireAsync(folder, TimeSpan.FromHours(2)).GetAwaiter().GetResult();
        var extracted = !File.Exists(Path.Combine(folder, IndexFile));
        if (extracted) Extract(corpus, dimensions, fingerprint, folder, parallelism, extract);
        return Read(folder, extracted);
    }

    private static Func<Utterance, (FeatureMatrix?, string?)> AudioSource(IAudioFeatureExtractor extractor) => u =>
    {
        if (!u.AudioOk || u.AudioPath is null) return (null, u.AudioProblem ?? "no audio file");
        try
        {
            var (samples, rate) = WavReader.ReadMono(u.AudioPath);
            var audio = rate == 16_000 ? samples : Resampler.Resample(samples, rate);
            return (extractor.Extract(audio), null);
        }
        catch (Exception e) when (e is AudioFormatException or IOException or ArgumentException)
        {
            return (null, e.Message);
        }
    };

    private static FeatureCache Read(string folder, bool extracted)
    {
        var saved = JsonSerializer.Deserialize<SavedIndex>(File.ReadAllText(Path.Combine(folder, IndexFile)))
                    ?? throw new InvalidDataException($"{folder}/{IndexFile} is empty: delete the folder to extract again");
        var index = new Dictionary<string, (long, int)>(saved.Keys.Length, StringComparer.Ordinal);
        for (var i = 0; i < saved.Keys.Length; i++) index[saved.Keys[i]] = (saved.Offsets[i], saved.Frames[i]);
        return new FeatureCache(folder, saved.Dimensions, index, saved.Missing, extracted);
    }

    // Extracts in order, a chunk of utterances at a time in parallel, appending to one matrix file.
    private static void Extract(Corpus corpus, int dimensions, string fingerprint, string folder, int parallelism,
        Func<Utterance, (FeatureMatrix? features, string? problem)> extract)
    {
        var temporary = folder + ".partial-" + Environment.ProcessId;
        if (Directory.Exists(temporary)) Directory.Delete(temporary, true);
        Directory.CreateDirectory(temporary);
        var missing = new List<MissingAudio>();
        var (keys, offsets, frames) = (new List<string>(), new List<long>(), new List<int>());
        long offset = 0;
        using (var output = new FileStream(Path.Combine(temporary, MatrixFile), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            foreach (var chunk in corpus.Utterances.Chunk(256))
            {
                var results = new (FeatureMatrix? features, string? problem)[chunk.Length];
                Parallel.For(0, chunk.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i => results[i] = extract(chunk[i]));
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (results[i].features is not { } f)
                    {
                        missing.Add(new MissingAudio(chunk[i].Key, results[i].problem!));
                        continue;
                    }
                    output.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.Values.AsSpan()));
                    keys.Add(chunk[i].Key);
                    offsets.Add(offset);
                    frames.Add(f.Frames);
                    offset += f.Frames;
                }
            }
        }
        var saved = new SavedIndex(dimensions, fingerprint, [.. keys], [.. offsets], [.. frames], missing);
        File.WriteAllText(Path.Combine(temporary, IndexFile), JsonSerializer.Serialize(saved));
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        if (Directory.Exists(folder)) Directory.Delete(folder, true); // an index-less leftover of a crash
        Directory.Move(temporary, folder);
    }

    public void Dispose()
    {
        view?.Dispose();
        file?.Dispose();
    }

    private sealed record SavedIndex(int Dimensions, string Fingerprint, string[] Keys, long[] Offsets, int[] Frames, List<MissingAudio> Missing);
}

/// <summary>An utterance without features and the reason.</summary>
public sealed record MissingAudio(string Key, string Reason);
