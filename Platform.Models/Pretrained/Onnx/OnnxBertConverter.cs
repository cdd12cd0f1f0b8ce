using System.Text.Json.Nodes;
using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Pretrained.Onnx;

/// <summary>
/// Turns a BERT exported to ONNX (as sentence-transformers' all-MiniLM-L6-v2) back into a Hugging
/// Face folder. Embeddings, LayerNorms and biases keep their HF names in the export; the Linear
/// weights are numbered and stored transposed ([in, out]), so each one's name is recovered from
/// the MatMul that reads it and the Add of its named bias that follows.
/// </summary>
public static class OnnxBertConverter
{
    /// <summary>Writes config.json, model.safetensors (and vocab.txt when given) into <paramref name="outFolder"/>; returns the number of tensors.</summary>
    public static int Convert(byte[] onnxModel, string outFolder, int numAttentionHeads, string? vocabFile = null, double layerNormEps = 1e-12)
    {
        var graph = OnnxGraph.Read(onnxModel);
        var initializers = graph.Initializers.ToDictionary(i => i.Name);
        var consumers = graph.Nodes.SelectMany(n => n.Inputs.Select(i => (input: i, node: n))).ToLookup(x => x.input, x => x.node);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var init in graph.Initializers.Where(i => i.Name.EndsWith(".weight") || i.Name.EndsWith(".bias")))
                tensors[init.Name] = torch.from_bytes(init.Data, init.DType, init.Shape).DetachFromDisposeScope();

            foreach (var matmul in graph.Nodes.Where(n => n.OpType == "MatMul" && n.Inputs.Count == 2 && initializers.ContainsKey(n.Inputs[1])))
            {
                var weight = initializers[matmul.Inputs[1]];
                if (weight.Name.EndsWith(".weight")) continue;                   // already named
                var add = consumers[matmul.Outputs[0]].FirstOrDefault(n => n.OpType == "Add");
                var bias = add?.Inputs.FirstOrDefault(i => i != matmul.Outputs[0] && i.EndsWith(".bias"));
                if (bias is null) throw new InvalidDataException($"ONNX MatMul weight '{weight.Name}' is not followed by the Add of a named bias; cannot name it");
                using var stored = torch.from_bytes(weight.Data, weight.DType, weight.Shape);
                tensors[bias[..^".bias".Length] + ".weight"] = stored.transpose(0, 1).contiguous().DetachFromDisposeScope(); // [in, out] -> HF's [out, in]
            }

            var word = tensors.GetValueOrDefault("embeddings.word_embeddings.weight") ?? throw new InvalidDataException("the ONNX graph has no embeddings.word_embeddings.weight: not a BERT export");
            var layers = tensors.Keys.Where(k => k.StartsWith("encoder.layer.")).Select(k => int.Parse(k.Split('.')[2])).Distinct().Count();
            var config = new JsonObject
            {
                ["model_type"] = "bert",
                ["architectures"] = new JsonArray("BertModel"),
                ["vocab_size"] = word.shape[0],
                ["hidden_size"] = word.shape[1],
                ["num_hidden_layers"] = layers,
                ["num_attention_heads"] = numAttentionHeads,
                ["intermediate_size"] = tensors["encoder.layer.0.intermediate.dense.weight"].shape[0],
                ["max_position_embeddings"] = tensors["embeddings.position_embeddings.weight"].shape[0],
                ["type_vocab_size"] = tensors["embeddings.token_type_embeddings.weight"].shape[0],
                ["hidden_act"] = "gelu",
                ["layer_norm_eps"] = layerNormEps,
                ["pad_token_id"] = 0,
            };
            Directory.CreateDirectory(outFolder);
            new PretrainedConfig(config).Write(Path.Combine(outFolder, ModelFolder.ConfigFile));
            Safetensors.Save(Path.Combine(outFolder, ModelFolder.WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "pt" });
            var vocabTarget = Path.Combine(outFolder, "vocab.txt");
            if (vocabFile is not null && Path.GetFullPath(vocabFile) != Path.GetFullPath(vocabTarget)) File.Copy(vocabFile, vocabTarget, overwrite: true);
            return tensors.Count;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
