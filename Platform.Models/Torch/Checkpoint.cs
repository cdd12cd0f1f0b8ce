namespace EmotionLab.Models.Torch;

/// <summary>
/// A training checkpoint in a folder: model.safetensors (the state dict, loadable by any
/// safetensors reader) and optimizer.safetensors (its state, for resuming).
/// </summary>
public static class Checkpoint
{
    public const string ModelFile = "model.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";

    public static void Save(string folder, torch.nn.Module model, torch.optim.Optimizer? optimizer = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Directory.CreateDirectory(folder);
        Safetensors.Save(Path.Combine(folder, ModelFile), model.state_dict(), metadata);
        if (optimizer is null) return;
        var state = optimizer.state_dict();
        try { Safetensors.Save(Path.Combine(folder, OptimizerFile), state); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }

    /// <summary>Restores the model (and optimizer, if given and saved); returns the saved metadata.</summary>
    public static IReadOnlyDictionary<string, string> Load(string folder, torch.nn.Module model, torch.optim.Optimizer? optimizer = null)
    {
        var (tensors, metadata) = Safetensors.Load(Path.Combine(folder, ModelFile));
        try { model.load_state_dict(tensors); }
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
