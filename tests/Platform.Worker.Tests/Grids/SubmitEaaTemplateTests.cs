using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Pretrained;
using EmotionLab.Worker.Pretrained;
using EmotionLab.Worker.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>
/// `submit --template eaa-...`: without model folders nothing is queued and the missing fields are
/// named; --tiny-models fills them with tiny random folders; an LLM too big for this machine is
/// refused with the memory estimate before anything is stored.
/// </summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class SubmitEaaTemplateTests(ThrowawayPostgres postgres) : TemplateSubmissionTests(postgres, "eaa")
{
    private Task<(int Exit, string Output, string Errors)> SubmitAsync(string[] settings, bool tinyModels = false) => SubmitAsync("eaa-context", settings, tinyModels);

    [Fact]
    public async Task Without_model_folders_the_missing_llm_is_named_and_nothing_is_queued()
    {
        var (exit, output, errors) = await SubmitAsync([]);
        Assert.Equal((1, ""), (exit, output));
        Assert.Contains("eaa.llm: variant 'audio only': the LLM's model folder is required", errors);
        Assert.Equal(0, await GridCountAsync());

        (exit, _, errors) = await SubmitAsync(["eaa.llm = no-such-llm"]);
        Assert.Equal(1, exit);
        Assert.Contains($"eaa.llm: variant 'audio only': {Path.Combine(Artifacts, "models", "no-such-llm")}: the folder does not exist", errors);
        Assert.Equal(0, await GridCountAsync());
    }

    [Fact]
    public async Task Tiny_models_fill_every_model_folder_and_the_grid_is_queued_with_the_settings()
    {
        var (exit, output, errors) = await SubmitAsync(["eaa.loraRank = 8", "eaa.loraTargets = \"q_proj,k_proj,v_proj,o_proj\""], tinyModels: true);
        Assert.True(exit == 0, errors);
        var gridId = long.Parse(Regex.Match(output, @"^grid: (\d+)$", RegexOptions.Multiline).Groups[1].Value);

        var llm = TinyModelFolders.FolderName("llama", CorpusName);
        foreach (var folder in new[] { llm, "tiny-hubert", "tiny-beats" })
            Assert.True(File.Exists(Path.Combine(Artifacts, "models", folder, ModelFolder.ConfigFile)), folder);
        using (var tokenizer = PretrainedTokenizer.Open(ModelFolder.Open(Path.Combine(Artifacts, "models", llm))))
            Assert.NotNull(tokenizer.TokenId("happy")); // the corpus' words are in the tiny LLM's vocabulary

        await using var db = Postgres.NewContext();
        var specs = (await db.Experiments.Where(e => e.GridId == gridId).ToListAsync()).Select(e => ExperimentSpecJson.ParseAndValidate(e.SpecJson).Spec!).ToList();
        Assert.Equal(3, specs.Count);
        Assert.All(specs, s => Assert.Equal((llm, EncoderSlotConfig.PretrainedKind, "tiny-hubert", EncoderSlotConfig.PretrainedKind, "tiny-beats"),
            (s.Eaa!.Llm, s.Eaa.Semantic.Kind, s.Eaa.Semantic.Model, s.Eaa.Acoustic.Kind, s.Eaa.Acoustic.Model)));
        Assert.All(specs, s => Assert.Equal((8, "q_proj,k_proj,v_proj,o_proj"), (s.Eaa!.LoraRank, s.Eaa.LoraTargets)));

        await using var services = SubmitVerb.SubmissionServices(Postgres.ConnectionString);
        var queue = services.GetRequiredService<RunQueue>();
        foreach (var run in await db.Runs.Where(r => r.GridId == gridId).ToListAsync()) Assert.True(await queue.RemoveAsync(run.Id));
        await db.Runs.Where(r => r.GridId == gridId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Canceled));
    }

    // LLaMA-3-70B's shape (a config and no weights: the estimate reads only the config): about 263 GiB of float32 weights.
    [Fact]
    public async Task An_llm_too_big_for_this_machine_is_refused_with_the_estimate_before_anything_is_stored()
    {
        var folder = Path.Combine(Artifacts, "models", "llama-70b-shape");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ModelFolder.ConfigFile), new JsonObject
        {
            ["model_type"] = "llama", ["architectures"] = new JsonArray("LlamaForCausalLM"), ["hidden_size"] = 8192, ["intermediate_size"] = 28672,
            ["num_hidden_layers"] = 80, ["num_attention_heads"] = 64, ["num_key_value_heads"] = 8, ["hidden_act"] = "silu", ["vocab_size"] = 128256,
            ["max_position_embeddings"] = 8192, ["rms_norm_eps"] = 1e-5, ["rope_theta"] = 500000.0, ["tie_word_embeddings"] = false,
        }.ToJsonString());
        File.WriteAllBytes(Path.Combine(folder, ModelFolder.WeightsFile), [2, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}']);

        var (exit, output, errors) = await SubmitAsync(["eaa.llm = llama-70b-shape"]);
        Assert.Equal((1, ""), (exit, output));
        Assert.Matches(@"eaa: variant 'audio only': the run needs about 26\d\.\d GiB before activations \(70,\d{3},\d{3},\d{3} parameters as float32", errors);
        Assert.Contains("no GPU node is live; start a worker node with a GPU that has the memory", errors);
        Assert.Equal(0, await GridCountAsync());
    }
}
