using System.Text.Json.Nodes;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Pretrained;

/// <summary>
/// LoRA on a pretrained model, saved and loaded in PEFT's layout so a lab can load the adapter in
/// Python (PeftModel.from_pretrained): adapter_config.json and adapter_model.safetensors with
/// keys "base_model.model.&lt;module&gt;.lora_A.weight" / "lora_B.weight".
/// </summary>
public static class LoraAdapters
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    private const string PeftPrefix = "base_model.model.";

    /// <summary>
    /// Freezes every parameter and attaches an adapter to each Linear named by the target modules;
    /// only the adapters train. Returns the adapted modules' names; none matching is an error.
    /// </summary>
    public static IReadOnlyList<string> Inject(torch.nn.Module model, LoraSettings settings)
    {
        var targets = model.named_modules()
            .Where(m => m.module is Linear && settings.TargetModules.Contains(m.name[(m.name.LastIndexOf('.') + 1)..]))
            .ToList();
        if (targets.Count == 0)
        {
            var linearNames = model.named_modules().Where(m => m.module is Linear).Select(m => m.name[(m.name.LastIndexOf('.') + 1)..]).Distinct();
            throw new TorchException($"LoRA: no Linear layer is named {string.Join(" or ", settings.TargetModules)}; this model's are {string.Join(", ", linearNames)}");
        }
        foreach (var p in model.parameters()) p.requires_grad = false;
        foreach (var (_, module) in targets) ((Linear)module).attach_lora(settings.Rank, settings.Alpha, settings.Dropout);
        return targets.Select(t => t.name).ToList();
    }

    /// <summary>Folds every adapter into its layer's weight.</summary>
    public static void Merge(torch.nn.Module model)
    {
        foreach (var (_, module) in model.named_modules().ToList())
            if (module is Linear { lora_A: not null } linear) linear.merge_lora();
    }

    public static void Save(string folder, torch.nn.Module model, LoraSettings settings, string baseModel, string? taskType = null)
    {
        var tensors = model.state_dict().Where(kv => kv.Key.Contains(".lora_A.") || kv.Key.Contains(".lora_B."))
            .ToDictionary(kv => PeftPrefix + kv.Key, kv => kv.Value);
        if (tensors.Count == 0) throw new TorchException("LoRA: the model has no adapters to save");
        Directory.CreateDirectory(folder);
        Safetensors.Save(Path.Combine(folder, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var config = new JsonObject
        {
            ["peft_type"] = "LORA",
            ["task_type"] = taskType,
            ["base_model_name_or_path"] = baseModel,
            ["r"] = settings.Rank,
            ["lora_alpha"] = settings.Alpha,
            ["lora_dropout"] = settings.Dropout,
            ["target_modules"] = new JsonArray(settings.TargetModules.Select(t => (JsonNode)t).ToArray()),
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["use_rslora"] = false,
            ["use_dora"] = false,
            ["init_lora_weights"] = true,
            ["inference_mode"] = true,
            ["modules_to_save"] = null,
            ["layers_to_transform"] = null,
        };
        new PretrainedConfig(config).Write(Path.Combine(folder, ConfigFile));
    }

    /// <summary>Reads a PEFT LoRA adapter folder's settings.</summary>
    public static LoraSettings ReadSettings(string folder)
    {
        var path = Path.Combine(folder, ConfigFile);
        if (!File.Exists(path)) throw new ModelFolderException(folder, [$"no {ConfigFile}: not a PEFT adapter folder"]);
        var config = PretrainedConfig.Read(path);
        var problems = new List<string>();
        if (config.String("peft_type", "") != "LORA") problems.Add($"peft_type is '{config.String("peft_type", "")}', only LORA is supported");
        if (config.Bool("use_dora", false)) problems.Add("use_dora is true; DoRA adapters are not supported");
        if (config.Bool("use_rslora", false)) problems.Add("use_rslora is true; rank-stabilised scaling is not supported");
        var targets = config.Values["target_modules"] switch
        {
            JsonArray a => a.Select(n => n!.GetValue<string>()).ToList(),
            JsonValue v when v.TryGetValue<string>(out var s) => [s],
            _ => [],
        };
        if (targets.Count == 0) problems.Add("target_modules is missing");
        if (problems.Count > 0) throw new ModelFolderException(folder, problems);
        return new LoraSettings { Rank = config.Int("r", 8), Alpha = config.Double("lora_alpha", 8), Dropout = config.Double("lora_dropout", 0), TargetModules = targets };
    }

    /// <summary>Injects the adapter folder's LoRA into the model and loads its weights strictly.</summary>
    public static LoraSettings Load(string folder, torch.nn.Module model)
    {
        var settings = ReadSettings(folder);
        Inject(model, settings);
        var (tensors, _) = Safetensors.Load(Path.Combine(folder, WeightsFile));
        try
        {
            var own = model.state_dict().Where(kv => kv.Key.Contains(".lora_A.") || kv.Key.Contains(".lora_B.")).ToDictionary();
            var renamed = new Dictionary<string, Tensor>();
            foreach (var (key, value) in tensors)
                renamed[key.StartsWith(PeftPrefix, StringComparison.Ordinal) ? key[PeftPrefix.Length..] : key] = value;
            var missing = own.Keys.Where(k => !renamed.ContainsKey(k)).ToList();
            var unexpected = renamed.Keys.Where(k => !own.ContainsKey(k)).ToList();
            var problems = new List<string>();
            if (missing.Count > 0) problems.Add($"missing adapter tensors [{string.Join(", ", missing)}]");
            if (unexpected.Count > 0) problems.Add($"unexpected adapter tensors [{string.Join(", ", unexpected)}] (an adapter of another model?)");
            foreach (var (key, target) in own)
                if (renamed.TryGetValue(key, out var value) && !value.shape.SequenceEqual(target.shape))
                    problems.Add($"adapter tensor '{key}' has shape [{string.Join(", ", value.shape)}], the model needs [{string.Join(", ", target.shape)}]");
            if (problems.Count > 0) throw new ModelFolderException(folder, problems);
            using (torch.no_grad())
                foreach (var (key, target) in own)
                {
                    using var converted = renamed[key].to(target.dtype, target.device);
                    target.copy_(converted);
                }
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        return settings;
    }
}
