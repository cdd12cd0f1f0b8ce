using EmotionLab.Models.Pretrained.Beats;
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
        ["wavlm"] = (PretrainedModality.Speech, c => new Wav2Vec2Model(Wav2Vec2Config.From(c))),
        ["beats"] = (PretrainedModality.Speech, c => new BeatsModel(BeatsConfig.From(c))),
        ["llama"] = (PretrainedModality.Language, c => new LlamaForCausalLM(LlamaConfig.From(c))),
        ["qwen2"] = (PretrainedModality.Language, c => new LlamaForCausalLM(LlamaConfig.From(c))),
    };

    public static IReadOnlyList<string> ModelTypesOf(PretrainedModality modality) => Known.Where(kv => kv.Value.modality == modality).Select(kv => kv.Key).ToList();

    public static PretrainedModality ModalityOf(ModelFolder folder) => Entry(folder.Config, folder.Path).modality;

    /// <summary>
    /// The architecture for the folder's config, with random weights, or on <see cref="Device.Meta"/>
    /// with shapes only (no memory; for checking a folder, or before loading weights in place).
    /// </summary>
    public static PretrainedModel Create(ModelFolder folder, Device? device = null) => Create(folder.Config, folder.Path, device);

    /// <summary>
    /// The folder's architecture on the meta device (shapes only), refused with a message naming
    /// what the slot takes when it is not of <paramref name="modality"/>.
    /// </summary>
    public static PretrainedModel ShapeFor(ModelFolder folder, PretrainedModality modality, string slot)
    {
        if (ModalityOf(folder) != modality)
            throw new ModelFolderException(folder.Path, [$"model_type '{folder.Config.ModelType}' is not a {modality.ToString().ToLowerInvariant()} encoder; {slot} takes {string.Join(", ", ModelTypesOf(modality))}"]);
        return Create(folder, Device.Meta);
    }

    /// <summary>
    /// A spec field's folder (resolved under the artifact root) on the meta device, or null with
    /// the folder's problems added under <paramref name="field"/>: what a family's memory estimate reads.
    /// </summary>
    public static PretrainedModel? ShapeOrProblem(string field, string? model, PretrainedModality modality, string artifactRoot, List<Experiments.SpecProblem> problems)
    {
        try { return ShapeFor(ModelFolder.Open(ModelFolder.Resolve(model!, artifactRoot)), modality, field); }
        catch (ModelFolderException e) { problems.Add(new(field, string.Join("; ", e.Problems.Select(p => $"{e.Folder}: {p}")))); return null; }
    }

    /// <summary>The architecture a config describes (<paramref name="folder"/> names it in errors).</summary>
    public static PretrainedModel Create(PretrainedConfig config, string folder, Device? device = null)
    {
        var entry = Entry(config, folder);
        try
        {
            using (torch.default_device(device ?? Device.CPU)) return entry.create(config);
        }
        catch (Exception e) when (e is TorchException or System.Text.Json.JsonException)
        {
            throw new ModelFolderException(folder, [$"{ModelFolder.ConfigFile}: {e.Message}"]);
        }
    }

    /// <summary>
    /// Opens the folder, checks its checkpoint against the architecture (every problem in one
    /// error), then builds the model in <paramref name="dtype"/> and copies each weight in once:
    /// the model is built on the meta device first, so no random initialisation is paid and no
    /// second copy of the weights is held.
    /// </summary>
    public static PretrainedModel Load(string path, ScalarType dtype = ScalarType.Float32)
    {
        var folder = ModelFolder.Open(path);
        var model = Create(folder, Device.Meta);
        try
        {
            var check = PretrainedWeights.Check(folder, model);
            if (check.Problems.Count > 0) throw new ModelFolderException(folder.Path, check.Problems);
            model.to_empty(Device.CPU, dtype);
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

    private static (PretrainedModality modality, Func<PretrainedConfig, PretrainedModel> create) Entry(PretrainedConfig config, string folder)
    {
        var type = config.ModelType;
        if (Known.TryGetValue(type, out var entry)) return entry;
        var what = type.Length == 0 ? $"{ModelFolder.ConfigFile} has no model_type" : $"model_type '{type}' is not supported";
        throw new ModelFolderException(folder, [$"{what} (architectures: [{string.Join(", ", config.Architectures)}]); supported: {string.Join(", ", Known.Keys)}"]);
    }
}
