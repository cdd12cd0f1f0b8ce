using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained;

/// <summary>
/// What every pretrained architecture exposes: its kind and sizes for `models inspect`, and how a
/// checkpoint's Hugging Face parameter names map onto its own (task-model prefixes such as
/// "bert." are stripped; the heads of other tasks, such as a pretraining quantizer or an LM head
/// an encoder does not use, are skipped and reported).
/// </summary>
public abstract class PretrainedModel : torch.nn.Module
{
    public abstract string ModelType { get; }

    public abstract int HiddenSize { get; }

    /// <summary>Transformer layers; hidden states come one per layer plus the input embeddings.</summary>
    public abstract int LayerCount { get; }

    /// <summary>
    /// The index into the hidden states (0 the embeddings, LayerCount the last layer) a slot's
    /// layer setting names; -1 is the last. Anything else is an error naming the folder.
    /// </summary>
    public int HiddenStateIndex(int layer, string folder) => layer switch
    {
        -1 => LayerCount,
        >= 0 when layer <= LayerCount => layer,
        _ => throw new ModelFolderException(folder, [$"layer {layer} does not exist: {ModelType} has hidden states 0..{LayerCount} (-1 is the last)"]),
    };

    /// <summary>Prefixes a task model puts before the base model's names ("bert.", "wav2vec2.").</summary>
    protected virtual IReadOnlyList<string> TaskPrefixes => [];

    /// <summary>Checkpoint names this architecture does not use (other tasks' heads, legacy buffers).</summary>
    protected virtual IReadOnlyList<string> UnusedPrefixes => [];

    /// <summary>Renames a checkpoint's legacy spellings to ours (e.g. weight norm's parametrizations).</summary>
    protected virtual string Rename(string name) => name;

    /// <summary>The own parameter name of a checkpoint tensor, or null when this architecture does not use it.</summary>
    public string? OwnName(string checkpointName)
    {
        var name = checkpointName;
        foreach (var prefix in TaskPrefixes)
            if (name.StartsWith(prefix, StringComparison.Ordinal)) { name = name[prefix.Length..]; break; }
        name = Rename(name);
        return UnusedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) ? null : name;
    }

    /// <summary>The transformer layers whose parameters train when only the last <paramref name="count"/> are tuned: their name prefixes.</summary>
    public abstract IReadOnlyList<string> LayerPrefixes();

    /// <summary>Freezes everything, then unfreezes the last <paramref name="count"/> transformer layers (0: all frozen).</summary>
    public void FreezeAllButLastLayers(int count)
    {
        var prefixes = LayerPrefixes();
        var trainable = prefixes.Skip(Math.Max(0, prefixes.Count - count)).ToList();
        foreach (var (name, p) in named_parameters())
            p.requires_grad = trainable.Any(prefix => name.StartsWith(prefix + ".", StringComparison.Ordinal));
    }
}
