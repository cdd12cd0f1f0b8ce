using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained;

/// <summary>What a strict load found: checkpoint tensors this architecture does not use.</summary>
public sealed record LoadReport(IReadOnlyList<string> Skipped);

/// <summary>
/// Strict loading of a model folder's safetensors into a <see cref="PretrainedModel"/>, with
/// Hugging Face's parameter names. Every problem (missing keys, unexpected keys, shape or dtype
/// mismatches) is collected and thrown as one <see cref="ModelFolderException"/>; nothing is
/// copied until the whole checkpoint matches. Tensors are copied one at a time from the mapped
/// file into the model's own storage, converted to the model's dtype.
/// </summary>
public static class PretrainedWeights
{
    public static LoadReport Load(ModelFolder folder, PretrainedModel model)
    {
        var own = model.state_dict();
        var files = new List<SafetensorsFile>();
        try
        {
            var sources = new Dictionary<string, (SafetensorsFile file, SafetensorsEntry entry)>();
            var skipped = new List<string>();
            var problems = new List<string>();
            foreach (var name in folder.WeightFiles)
            {
                SafetensorsFile file;
                try { file = SafetensorsFile.Open(folder.File(name)); }
                catch (TorchException e) { problems.Add(e.Message); continue; }
                files.Add(file);
                foreach (var entry in file.Entries.Values)
                {
                    var key = model.OwnName(entry.Name);
                    if (key is null) skipped.Add(entry.Name);
                    else if (!own.ContainsKey(key)) problems.Add($"unexpected tensor '{entry.Name}' (in {name}): {model.ModelType} has no parameter of that name");
                    else sources[key] = (file, entry);
                }
            }

            var missing = own.Keys.Where(k => !sources.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
                problems.Add($"missing tensors [{string.Join(", ", missing)}]: the checkpoint is not a complete {model.ModelType} with config.json's sizes");
            foreach (var (key, (file, entry)) in sources)
            {
                var target = own[key];
                if (!entry.Shape.SequenceEqual(target.shape))
                    problems.Add($"tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}] but config.json makes it [{string.Join(", ", target.shape)}]");
                else if (entry.DType.IsFloatingPoint() != target.dtype.IsFloatingPoint())
                    problems.Add($"tensor '{entry.Name}' is {entry.DType.Name()} where a {target.dtype.Name()} is expected");
            }
            if (problems.Count > 0) throw new ModelFolderException(folder.Path, problems);

            using (torch.no_grad())
            {
                foreach (var (key, (file, entry)) in sources)
                {
                    using var scope = torch.NewDisposeScope();
                    var target = own[key];
                    var value = file.Read(entry.Name, target.device);
                    target.copy_(value.dtype == target.dtype ? value : value.to(target.dtype));
                }
            }
            return new LoadReport(skipped);
        }
        finally
        {
            foreach (var file in files) file.Dispose();
        }
    }
}
