using EmotionLab.Models.Pretrained.Bert;
using EmotionLab.Models.Pretrained.Llama;
using EmotionLab.Models.Pretrained.Wav2Vec2;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained;

/// <summary>Which modality an architecture encodes.</summary>
public enum PretrainedModality { Text, Speech, Language }

/// <summary>
/// The architectures a model folder may hold, chosen by config.json's model_type, and the one
/// call that builds a model and loads its weights.
/// </summary>
public static class PretrainedArchitectures
{
    private static readonly Dictionary<string, (PretrainedModality modality, Func<PretrainedConfig, PretrainedModel> create)> Known = new()
    {
        ["bert"] = (PretrainedModality.Text, c => new BertModel(BertConfig.From(c))),
        ["roberta"] = (PretrainedModality.Text, c => new BertModel(BertConfig.From(c))),
        ["wav2vec2"] = (PretrainedModality.Speech, c => new Wav2Vec2Model(Wav2Vec2Config.From(c))),
        ["hubert"] = (PretrainedModality.Speech, c => new Wav2Vec2Model(Wav2Vec2Config.From(c))),
        ["llama"] = (PretrainedModality.Language, c => new LlamaForCausalLM(LlamaConfig.From(c))),
        ["qwen2"] = (PretrainedModality.Language, c => new LlamaForCausalLM(LlamaConfig.From(c))),
    };

    public static IReadOnlyList<string> ModelTypes => Known.Keys.ToList();

    public static PretrainedModality ModalityOf(ModelFolder folder) => Entry(folder).modality;

    /// <summary>The architecture with random weights, for the folder's config (no weights read).</summary>
    public static PretrainedModel Create(ModelFolder folder)
    {
        try { return Entry(folder).create(folder.Config); }
        catch (TorchException e) { throw new ModelFolderException(folder.Path, [$"{ModelFolder.ConfigFile}: {e.Message}"]); }
    }

    /// <summary>Opens the folder, builds its architecture in <paramref name="dtype"/> and loads every weight strictly.</summary>
    public static PretrainedModel Load(string path, ScalarType dtype = ScalarType.Float32)
    {
        var folder = ModelFolder.Open(path);
        var model = Create(folder);
        try
        {
            if (dtype != ScalarType.Float32) model.to(Device.CPU, dtype);
            PretrainedWeights.Load(folder, model);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static (PretrainedModality modality, Func<PretrainedConfig, PretrainedModel> create) Entry(ModelFolder folder)
    {
        var type = folder.Config.ModelType;
        if (Known.TryGetValue(type, out var entry)) return entry;
        var what = type.Length == 0 ? $"{ModelFolder.ConfigFile} has no model_type" : $"model_type '{type}' is not supported";
        throw new ModelFolderException(folder.Path, [$"{what} (architectures: [{string.Join(", ", folder.Config.Architectures)}]); supported: {string.Join(", ", Known.Keys)}"]);
    }
}
