using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;
using EmotionLab.Models.Corpora;
using EmotionLab.Web.Components.Demo;
using EmotionLab.Web.Startup;

namespace EmotionLab.Web.Tests;

/// <summary>The demo panel for each step of a first start, as DemoProgress is told and the grid's runs are read.</summary>
[Collection(nameof(WebAppFixture))]
public sealed class DemoPanelTests(WebAppFixture app)
{
    private static RunListItem Run(long id, RunStatus status, double progress = 0, int seed = 1) => new()
    {
        Id = id, ExperimentName = "demo", Family = "baselines", Variant = $"variant {id}", Seed = seed, Status = status, Progress = progress,
    };

    [Fact]
    public async Task Each_step_says_what_happens_now_and_the_grid_is_linked_once_a_run_succeeded()
    {
        Assert.Equal("", (await RenderAsync(null)).Trim());

        var demo = new DemoProgress();
        Assert.False(demo.Current.Shown);
        demo.Step(DemoSetup.SpeakingStep).Report(new ImportProgress(Models.Corpora.EmoSynth.EmoSynthGenerator.SpeakingStage, 40, 200, "clips"));
        demo.Step(DemoSetup.SpeakingStep).Report(new ImportProgress(Models.Corpora.EmoSynth.EmoSynthGenerator.SpeakingStage, 39, 200, "clips")); // a late report
        var speaking = await RenderAsync(new DemoView(demo.Current, [], 15, 3));
        Assert.Contains("1 of 3", speaking);
        Assert.Contains("Speaking EmoSynth: speaking EmoSynth, 40 of 200 clips", speaking);

        demo.Step(DemoSetup.ImportingStep).Report(new ImportProgress("extracting audio", 12, 2000));
        var importing = await RenderAsync(new DemoView(demo.Current, [], 15, 3));
        Assert.Contains("2 of 3", importing);
        Assert.Contains("Importing EmoSynth: extracting audio, 12 of 2000 utterances", importing);

        demo.GridQueued(7);
        var queued = await RenderAsync(new DemoView(demo.Current, [Run(1, RunStatus.Queued), Run(2, RunStatus.Queued)], 15, 3));
        Assert.Contains("run 1 of 2 waits for a worker slot", queued);
        Assert.DoesNotContain("/grids/7", queued);

        var training = await RenderAsync(new DemoView(demo.Current, [Run(1, RunStatus.Succeeded, 1), Run(2, RunStatus.Running, 0.4, seed: 2)], 15, 3));
        Assert.Contains("Run 2 of 2 training", training);
        Assert.Matches("variant 2, seed 2</a><span>: epoch 7 of 15", training);
        Assert.Contains("First results are in:", training);
        Assert.Contains("href=\"/grids/7\"", training);

        var complete = await RenderAsync(new DemoView(demo.Current, [Run(1, RunStatus.Succeeded, 1), Run(2, RunStatus.Failed, 0.2)], 15, 3));
        Assert.Contains("Demo complete: 1 of 2 runs succeeded.", complete);
        Assert.Contains("href=\"/grids/7\"", complete);
        Assert.Contains("data-complete=\"true\"", complete); // nothing left to follow

        demo.Failed("espeak-ng is not installed");
        var failed = await RenderAsync(new DemoView(demo.Current, [], 15, 3));
        Assert.Contains("The demo could not be set up: espeak-ng is not installed.", failed);
        Assert.Contains("data-complete=\"true\"", failed);
    }

    private Task<string> RenderAsync(DemoView? view) => app.RenderAsync<DemoPanel>(new() { [nameof(DemoPanel.View)] = view });
}
