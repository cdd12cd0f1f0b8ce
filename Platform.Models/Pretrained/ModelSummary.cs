using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained;

/// <summary>What `models inspect` prints of a folder: its architecture and sizes, or every problem with it.</summary>
public sealed record ModelSummary(
    string Folder,
    string ModelType,
    IReadOnlyList<string> Architectures,
    PretrainedModality? Modality,
    long Parameters,
    IReadOnlyDictionary<ScalarType, long> StoredDTypes,
    int Layers,
    int HiddenSize,
    TokenizerKind Tokenizer,
    int TokenizerVocabulary,
    int ModelVocabulary,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<string> Problems)
{
    /// <summary>Reads the folder's config, checkpoint headers and tokenizer without loading a weight.</summary>
    public static ModelSummary Inspect(string path)
    {
        ModelFolder folder;
        try { folder = ModelFolder.Open(path); }
        catch (ModelFolderException e)
        {
            return new ModelSummary(e.Folder, "", [], null, 0, new Dictionary<ScalarType, long>(), 0, 0, TokenizerKind.None, 0, 0, [], e.Problems);
        }
        var problems = new List<string>();
        var config = folder.Config;
        PretrainedModality? modality = null;
        long parameters = 0;
        int layers = 0, hidden = 0;
        WeightsCheck check = new([], [], new Dictionary<ScalarType, long>());
        try
        {
            modality = PretrainedArchitectures.ModalityOf(folder);
            using var model = PretrainedArchitectures.Create(folder, Device.Meta);
            (parameters, layers, hidden) = (model.parameter_count(), model.LayerCount, model.HiddenSize);
            check = PretrainedWeights.Check(folder, model);
            problems.AddRange(check.Problems);
        }
        catch (ModelFolderException e) { problems.AddRange(e.Problems); }

        var (tokenizerVocabulary, modelVocabulary) = (0, config.Int("vocab_size", 0));
        if (folder.Tokenizer != TokenizerKind.None)
        {
            try
            {
                using var tokenizer = PretrainedTokenizer.Open(folder);
                tokenizerVocabulary = tokenizer.VocabularySize;
                if (modelVocabulary > 0 && tokenizerVocabulary > modelVocabulary)
                    problems.Add($"the tokenizer has {tokenizerVocabulary} ids but config.json's vocab_size is {modelVocabulary}: ids past it have no embedding");
            }
            catch (ModelFolderException e) { problems.AddRange(e.Problems); }
        }
        else if (modality is PretrainedModality.Text or PretrainedModality.Language)
            problems.Add("no tokenizer files (tokenizer.json, vocab.json + merges.txt, vocab.txt or tokenizer.model): a text model needs one");

        return new ModelSummary(folder.Path, config.ModelType, config.Architectures, modality, parameters, check.StoredDTypes, layers, hidden,
            folder.Tokenizer, tokenizerVocabulary, modelVocabulary, check.Skipped, problems);
    }
}
