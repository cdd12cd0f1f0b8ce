using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained;

/// <summary>What matching a folder's checkpoint against an architecture found.</summary>
public sealed record WeightsCheck(IReadOnlyList<string> Problems, IReadOnlyList<string> Skipped, IReadOnlyDictionary<ScalarType, long> StoredDTypes);

/// <summary>
/// Strict loading of a model folder's safetensors into a <see cref="PretrainedModel"/>, with
/// Hugging Face's parameter names. <see cref="Check"/> reads only the headers and collects every
/// problem (missing keys, unexpected keys, shape or dtype mismatches); <see cref="Load"/> copies
/// nothing until the whole checkpoint matches, then copies tensor by tensor from the mapped file
/// into the model's own storage, converted to the model's dtype.
/// </summary>
public static class PretrainedWeights
{
    public static WeightsCheck Check(ModelFolder folder, PretrainedModel model) => Match(folder, model, keepOpen: false).check;

    public static LoadReport Load(ModelFolder folder, PretrainedModel model)
    {
        var (check, sources, files) = Match(folder, model, keepOpen: true);
        try
        {
            if (check.Problems.Count > 0) throw new ModelFolderException(folder.Path, check.Problems);
            var own = model.state_dict();
            using (torch.no_grad())
            {
                foreach (var (key, (file, entry)) in sources)
                {
                    using var scope = torch.NewDisposeScope();
                    var target = own[key];
                    var value = file!.Read(entry.Name, target.device);
                    target.copy_(value.dtype == target.dtype ? value : value.to(target.dtype));
                }
            }
            return new LoadReport(check.Skipped);
        }
        finally
        {
            foreach (var file in files) file.Dispose();
        }
    }

    private static (WeightsCheck check, Dictionary<string, (SafetensorsFile? file, SafetensorsEntry entry)> sources, List<SafetensorsFile> files)
        Match(ModelFolder folder, PretrainedModel model, bool keepOpen)
    {
        var own = model.state_dict();
        var files = new List<SafetensorsFile>();
        var sources = new Dictionary<string, (SafetensorsFile? file, SafetensorsEntry entry)>();
        var skipped = new List<string>();
        var problems = new List<string>();
        var dtypes = new Dictionary<ScalarType, long>();
        try
        {
            foreach (var name in folder.WeightFiles)
            {
                SafetensorsFile file;
                try { file = SafetensorsFile.Open(folder.File(name)); }
                catch (TorchException e) { problems.Add(e.Message); continue; }
                files.Add(file);
                foreach (var entry in file.Entries.Values)
                {
                    dtypes[entry.DType] = dtypes.GetValueOrDefault(entry.DType) + entry.Shape.Aggregate(1L, (a, b) => a * b);
                    var key = model.OwnName(entry.Name);
                    if (key is null) skipped.Add(entry.Name);
                    else if (!own.ContainsKey(key)) problems.Add($"unexpected tensor '{entry.Name}' (in {name}): {model.ModelType} has no parameter of that name");
                    else sources[key] = (keepOpen ? file : null, entry);
                }
            }
            var missing = own.Keys.Where(k => !sources.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
                problems.Add($"missing tensors [{string.Join(", ", missing)}]: the checkpoint is not a complete {model.ModelType} with config.json's sizes");
            foreach (var (key, (_, entry)) in sources)
            {
                var target = own[key];
                if (!entry.Shape.SequenceEqual(target.shape))
                    problems.Add($"tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}] but config.json makes it [{string.Join(", ", target.shape)}]");
                else if (entry.DType.IsFloatingPoint() != target.dtype.IsFloatingPoint())
                    problems.Add($"tensor '{entry.Name}' is {entry.DType.Name()} where a {target.dtype.Name()} is expected");
            }
            return (new WeightsCheck(problems, skipped, dtypes), sources, keepOpen ? files : []);
        }
        finally
        {
            if (!keepOpen) foreach (var file in files) file.Dispose();
        }
    }
}

/// <summary>What a strict load found: checkpoint tensors this architecture does not use.</summary>
public sealed record LoadReport(IReadOnlyList<string> Skipped);
