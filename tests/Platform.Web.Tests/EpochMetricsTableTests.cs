using System.Text.RegularExpressions;
using EmotionLab.Data.Entities;
using EmotionLab.Web.Components.Runs;

namespace EmotionLab.Web.Tests;

/// <summary>A run page's per-epoch table: the LLM families' unparsed answers get a column, the other families none.</summary>
[Collection(nameof(WebAppFixture))]
public sealed class EpochMetricsTableTests(WebAppFixture app)
{
    private static EpochMetric Epoch(int epoch, int? unparsed) => new()
    {
        RunId = 1, Epoch = epoch, Split = "validation", Loss = 1.0 / epoch, WA = 0.5, UA = 0.4, WeightedF1 = 0.45, MacroF1 = 0.42, Unparsed = unparsed,
    };

    [Fact]
    public async Task Unparsed_answers_per_epoch_are_shown_for_an_LLM_run_only()
    {
        var llm = await RenderAsync([Epoch(1, 17), Epoch(2, 3)]);
        Assert.Contains(">Unparsed</th>", llm);
        Assert.Equal(["17", "3"], Regex.Matches(llm, "<td class=\"num unparsed\">(\\d+)</td>").Select(m => m.Groups[1].Value));

        var encoder = await RenderAsync([Epoch(1, null), Epoch(2, null)]);
        Assert.DoesNotContain("Unparsed", encoder);
        Assert.Equal(2, Regex.Matches(encoder, "<tr data-epoch=").Count);
    }

    private Task<string> RenderAsync(IReadOnlyList<EpochMetric> epochs) => app.RenderAsync<EpochMetricsTable>(new()
    {
        [nameof(EpochMetricsTable.Split)] = "validation", [nameof(EpochMetricsTable.Epochs)] = epochs, [nameof(EpochMetricsTable.BestEpoch)] = 2,
    });
}
