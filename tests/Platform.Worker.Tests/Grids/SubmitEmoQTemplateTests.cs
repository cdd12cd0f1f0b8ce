using System.Text.RegularExpressions;
using EmotionLab.Data;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Encoders;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.EmoQ;
using EmotionLab.Models.Pretrained;
using EmotionLab.Worker.Pretrained;
using EmotionLab.Worker.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>
/// `submit --template emoq-...`: without model folders nothing is queued and the missing field is
/// named; --tiny-models fills the LLM, HuBERT and RoBERTa folders with tiny random ones and the
/// grid's variants are Table 4's rows.
/// </summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class SubmitEmoQTemplateTests(ThrowawayPostgres postgres) : TemplateSubmissionTests(postgres, "emoq")
{
    [Fact]
    public async Task Without_model_folders_the_missing_llm_is_named_and_nothing_is_queued()
    {
        var (exit, output, errors) = await SubmitAsync("emoq-stages", []);
        Assert.Equal((1, ""), (exit, output));
        Assert.Contains("emoQ.llm: variant 'end to end': the LLM's model folder is required", errors);
        Assert.Equal(0, await GridCountAsync());
    }

    [Fact]
    public async Task The_iemocap_folds_template_on_a_corpus_without_folds_names_the_problem_and_queues_nothing()
    {
        var (exit, output, errors) = await SubmitAsync("emoq-iemocap-folds", [], tinyModels: true);
        Assert.Equal((1, ""), (exit, output));
        for (var fold = 1; fold <= 5; fold++)
            Assert.Contains($"testFold: variant 'fold {fold}': corpus '{CorpusName}' has no folds; leave testFold empty", errors);
        Assert.Equal(0, await GridCountAsync());
    }

    [Fact]
    public async Task Tiny_models_fill_every_model_folder_and_the_modality_grid_is_table_4()
    {
        var (exit, output, errors) = await SubmitAsync("emoq-modality", ["emoQ.loraRank = 8"], tinyModels: true);
        Assert.True(exit == 0, errors);
        var gridId = long.Parse(Regex.Match(output, @"^grid: (\d+)$", RegexOptions.Multiline).Groups[1].Value);

        var (llm, roberta) = (TinyModelFolders.FolderName("qwen2", CorpusName), TinyModelFolders.FolderName("roberta", CorpusName));
        foreach (var folder in new[] { llm, roberta, "tiny-hubert" })
            Assert.True(File.Exists(Path.Combine(Artifacts, "models", folder, ModelFolder.ConfigFile)), folder);

        await using var db = Postgres.NewContext();
        var specs = (await db.Experiments.Where(e => e.GridId == gridId).ToListAsync()).Select(e => ExperimentSpecJson.ParseAndValidate(e.SpecJson).Spec!).ToList();
        Assert.Equal([EmoQConfig.AudioInput, EmoQConfig.ConcatInput, EmoQConfig.FormerInput, EmoQConfig.TextInput], specs.Select(s => s.EmoQ!.Input).Order());
        Assert.All(specs, s => Assert.Equal((llm, EncoderSlotConfig.PretrainedKind, "tiny-hubert", roberta, 8),
            (s.EmoQ!.Llm, s.EmoQ.Audio.Kind, s.EmoQ.Audio.Model, s.EmoQ.Former.Model, s.EmoQ.LoraRank)));
        Assert.All(specs, s => Assert.Equal(EmoQConfig.ModalitiesOf(s.EmoQ!.Input), s.Modalities));
        Assert.False(specs.Single(s => s.EmoQ!.Input == EmoQConfig.TextInput).EmoQ!.Stage1);

        await using var services = SubmitVerb.SubmissionServices(Postgres.ConnectionString);
        var queue = services.GetRequiredService<RunQueue>();
        foreach (var run in await db.Runs.Where(r => r.GridId == gridId).ToListAsync()) Assert.True(await queue.RemoveAsync(run.Id));
        await db.Runs.Where(r => r.GridId == gridId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RunStatus.Canceled));
    }
}
