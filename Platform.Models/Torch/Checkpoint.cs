namespace EmotionLab.Models.Torch;

/// <summary>
/// A training checkpoint in a folder: model.safetensors (the state dict, loadable by any
/// safetensors reader; a model over frozen pretrained weights may leave those out) and
/// optimizer.safetensors (its state, for resuming).
/// </summary>
public static class Checkpoint
{
    public const string ModelFile = "model.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";

    /// <param name="leaveOut">state names not saved (frozen pretrained weights the model is built from again)</param>
    public static void Save(string folder, torch.nn.Module model, torch.optim.Optimizer? optimizer = null, IReadOnlyDictionary<string, string>? metadata = null,
        IReadOnlySet<string>? leaveOut = null)
    {
        Directory.CreateDirectory(folder);
        var state = model.state_dict();
        if (leaveOut is not null) state = state.Where(s => !leaveOut.Contains(s.Key)).ToDictionary();
        Safetensors.Save(Path.Combine(folder, ModelFile), state, metadata);
        if (optimizer is null) return;
        var optimizerState = optimizer.state_dict();
        try { Safetensors.Save(Path.Combine(folder, OptimizerFile), optimizerState); }
        finally { foreach (var t in optimizerState.Values) t.Dispose(); }
    }

    /// <summary>Restores the model (and optimizer, if given and saved); returns the saved metadata.</summary>
    /// <param name="leftOut">state names the checkpoint may lack (left out when saved); every other name must be in it</param>
    /// <param name="prefix">restore only the checkpoint's tensors under this name ("bridge."), into a model that is that part of the saved one</param>
    public static IReadOnlyDictionary<string, string> Load(string folder, torch.nn.Module model, torch.optim.Optimizer? optimizer = null,
        IReadOnlySet<string>? leftOut = null, string? prefix = null)
    {
        var (tensors, metadata) = Safetensors.Load(Path.Combine(folder, ModelFile));
        try
        {
            var state = prefix is null ? tensors
                : tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(t => t.Key[prefix.Length..], t => t.Value);
            var (missing, unexpected) = model.load_state_dict(state, strict: leftOut is null);
            var lacking = missing.Where(name => !leftOut!.Contains(name)).ToArray();
            if (unexpected.Count > 0 || lacking.Length > 0)
                throw new TorchException($"checkpoint {folder} does not fit the model: missing [{string.Join(", ", lacking)}], unexpected [{string.Join(", ", unexpected)}]");
        }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
        var optimizerPath = Path.Combine(folder, OptimizerFile);
        if (optimizer is not null && File.Exists(optimizerPath))
        {
            var (state, _) = Safetensors.Load(optimizerPath);
            try { optimizer.load_state_dict(state); }
            finally { foreach (var t in state.Values) t.Dispose(); }
        }
        return metadata;
    }
}
