using System.Text.Json.Nodes;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Llama;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Tests.Pretrained;

/// <summary>Loading model folders: shards, checkpoint dtypes, and a named, actionable error for each kind of broken folder.</summary>
public sealed class ModelFolderTests : IDisposable
{
    private readonly PretrainedFixture llama = new("llama");
    private readonly List<string> folders = [];

    private string Copy()
    {
        var folder = llama.CopyFolder();
        folders.Add(folder);
        return folder;
    }

    private static Dictionary<string, Tensor> Weights(string folder) => Safetensors.Load(Path.Combine(folder, ModelFolder.WeightsFile)).tensors;

    private Tensor Logits(string folder)
    {
        using var model = (LlamaForCausalLM)PretrainedArchitectures.Load(folder);
        using var _ = torch.no_grad();
        return model.Logits(model.forward(model.Embed(llama["in.input_ids"]), llama["in.attention_mask"]).LastHiddenState).DetachFromDisposeScope();
    }

    [Fact]
    public void A_sharded_folder_loads_the_same_weights()
    {
        var folder = Copy();
        var weights = Weights(folder);
        var names = weights.Keys.Order(StringComparer.Ordinal).ToList();
        var shards = new[] { names.Take(names.Count / 2).ToList(), names.Skip(names.Count / 2).ToList() };
        var map = new JsonObject();
        for (var i = 0; i < 2; i++)
        {
            var file = $"model-{i + 1:00000}-of-00002.safetensors";
            Safetensors.Save(Path.Combine(folder, file), shards[i].ToDictionary(n => n, n => weights[n]));
            foreach (var n in shards[i]) map[n] = file;
        }
        File.Delete(Path.Combine(folder, ModelFolder.WeightsFile));
        File.WriteAllText(Path.Combine(folder, ModelFolder.ShardIndexFile), new JsonObject { ["metadata"] = new JsonObject(), ["weight_map"] = map }.ToJsonString());
        foreach (var t in weights.Values) t.Dispose();

        Assert.Equal(2, ModelFolder.Open(folder).WeightFiles.Count);
        using var logits = Logits(folder);
        Assert.True(PretrainedFixture.MaxDifference(llama["out.logits"], logits) <= 1e-5);
    }

    [Theory]
    [InlineData(ScalarType.BFloat16, 0.1)]
    [InlineData(ScalarType.Float16, 0.02)]
    public void Half_precision_checkpoints_load_into_float32_compute(ScalarType stored, double tolerance)
    {
        var folder = Copy();
        var weights = Weights(folder);
        var converted = weights.ToDictionary(kv => kv.Key, kv => kv.Value.to(stored).DetachFromDisposeScope());
        Safetensors.Save(Path.Combine(folder, ModelFolder.WeightsFile), converted);
        foreach (var t in weights.Values.Concat(converted.Values)) t.Dispose();

        using var model = PretrainedArchitectures.Load(folder);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        using var logits = Logits(folder);
        var difference = PretrainedFixture.MaxDifference(llama["out.logits"], logits);
        Assert.InRange(difference, 1e-7, tolerance); // rounded weights: close, but not the float32 result
    }

    [Fact]
    public void The_compute_dtype_is_a_choice()
    {
        using var model = PretrainedArchitectures.Load(llama.Folder, ScalarType.BFloat16);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
    }

    [Fact]
    public void Missing_and_unexpected_tensors_are_named_in_one_error()
    {
        var folder = Copy();
        var weights = Weights(folder);
        weights.Remove("model.norm.weight", out var norm);
        weights.Remove("model.layers.0.mlp.up_proj.weight", out var up);
        weights["model.layers.0.mlp.extra_proj.weight"] = up!;
        Safetensors.Save(Path.Combine(folder, ModelFolder.WeightsFile), weights);
        foreach (var t in weights.Values) t.Dispose();
        norm!.Dispose();

        var error = Assert.Throws<ModelFolderException>(() => PretrainedArchitectures.Load(folder).Dispose());
        Assert.Contains(folder, error.Message);
        Assert.Contains("model.norm.weight", error.Message);
        Assert.Contains("model.layers.0.mlp.up_proj.weight", error.Message);
        Assert.Contains("unexpected tensor 'model.layers.0.mlp.extra_proj.weight'", error.Message);
    }

    [Fact]
    public void A_wrong_shape_names_the_tensor()
    {
        var folder = Copy();
        var config = PretrainedConfig.Read(Path.Combine(folder, ModelFolder.ConfigFile));
        config.Set("intermediate_size", 40);
        config.Write(Path.Combine(folder, ModelFolder.ConfigFile));
        var error = Assert.Throws<ModelFolderException>(() => PretrainedArchitectures.Load(folder).Dispose());
        Assert.Contains("tensor 'model.layers.0.mlp.up_proj.weight' has shape [48, 32] but config.json makes it [40, 32]", error.Message);
    }

    [Fact]
    public void A_missing_shard_is_named()
    {
        var folder = Copy();
        File.Move(Path.Combine(folder, ModelFolder.WeightsFile), Path.Combine(folder, "model-00001-of-00002.safetensors"));
        File.WriteAllText(Path.Combine(folder, ModelFolder.ShardIndexFile),
            """{"weight_map": {"model.norm.weight": "model-00001-of-00002.safetensors", "lm_head.weight": "model-00002-of-00002.safetensors"}}""");
        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Open(folder));
        Assert.Contains("shard model-00002-of-00002.safetensors listed in model.safetensors.index.json is missing", error.Message);
    }

    [Fact]
    public void An_unknown_model_type_lists_the_supported_ones()
    {
        var folder = Copy();
        var config = PretrainedConfig.Read(Path.Combine(folder, ModelFolder.ConfigFile));
        config.Set("model_type", "mamba");
        config.Write(Path.Combine(folder, ModelFolder.ConfigFile));
        var error = Assert.Throws<ModelFolderException>(() => PretrainedArchitectures.Load(folder).Dispose());
        Assert.Contains("model_type 'mamba' is not supported", error.Message);
        Assert.Contains("llama, qwen2", error.Message);
    }

    [Fact]
    public void A_pickle_only_folder_says_how_to_convert_it()
    {
        var folder = Copy();
        File.Move(Path.Combine(folder, ModelFolder.WeightsFile), Path.Combine(folder, "pytorch_model.bin"));
        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Open(folder));
        Assert.Contains("only PyTorch pickles (pytorch_model.bin)", error.Message);
        Assert.Contains("save_pretrained(DIR, safe_serialization=True)", error.Message);
    }

    [Fact]
    public void A_released_beats_checkpoint_says_how_to_convert_it()
    {
        var folder = Path.Combine(Path.GetTempPath(), "elt-beats-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllBytes(Path.Combine(folder, "BEATs_iter3.pt"), [0x80, 0x02]);
            var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Open(folder));
            Assert.Contains("a PyTorch checkpoint (BEATs_iter3.pt)", error.Message);
            Assert.Contains($"tools/convert_beats_checkpoint.py {Path.Combine(folder, "BEATs_iter3.pt")} {folder}", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_folder_without_tokenizer_files_says_so_when_a_tokenizer_is_needed()
    {
        using var hubert = new PretrainedFixture("hubert-group-norm");
        var folder = ModelFolder.Open(hubert.Folder);
        Assert.Equal(TokenizerKind.None, folder.Tokenizer);
        var error = Assert.Throws<ModelFolderException>(() => PretrainedTokenizer.Open(folder).Dispose());
        Assert.Contains("no tokenizer files", error.Message);
    }

    [Fact]
    public void A_truncated_weight_file_is_named_not_a_crash()
    {
        var folder = Copy();
        var path = Path.Combine(folder, ModelFolder.WeightsFile);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<ModelFolderException>(() => PretrainedArchitectures.Load(folder).Dispose());
        Assert.Contains(ModelFolder.WeightsFile, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    public void Dispose()
    {
        llama.Dispose();
        foreach (var folder in folders) Directory.Delete(folder, recursive: true);
    }
}
