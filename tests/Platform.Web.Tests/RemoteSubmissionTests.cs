using EmotionLab.Data.Accounts;
using EmotionLab.Worker.Api;
using EmotionLab.Worker.Grids;
using EmotionLab.Worker.Queue;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Web.Tests;

/// <summary>
/// The command line from a researcher's machine against a running platform, with a member's token:
/// `submit --template baselines --seeds 2 --epochs 1 --wait` queues the grid as theirs, waits for
/// the in-process worker to train it and prints its table; `export` fetches the same table; a
/// wrong token and an unreachable platform say what to do.
/// </summary>
[Collection(nameof(TrainingLabFixture))]
public sealed class RemoteSubmissionTests(TrainingLabFixture lab)
{
    [Fact]
    public async Task Submit_over_the_api_trains_a_template_grid_as_the_tokens_user_and_prints_its_table()
    {
        var member = await LabSession.CreateAsync(lab.Services, lab.BaseAddress, "cli-member", LabRoles.Member);
        using var api = new PlatformApiClient(lab.BaseAddress, member.Token);
        var (output, errors) = (new StringWriter(), new StringWriter());

        var exit = await RemoteSubmission.SubmitTemplateAsync(api, "baselines", TrainingLabFixture.CorpusName, [2], epochs: 1, [], name: null, project: "cli study",
            tinyModels: false, wait: true, output, errors, CancellationToken.None, poll: TimeSpan.FromMilliseconds(500));

        var printed = output.ToString();
        Assert.True(exit == 0, $"exit {exit}\n{printed}\n{errors}");
        var gridId = long.Parse(printed.Split('\n')[0]["grid: ".Length..]);
        // The grid's Markdown table: a header, its rule and the three variants, each over two seeds.
        var table = printed.Split('\n').Where(l => l.StartsWith('|')).ToList();
        Assert.Equal(5, table.Count);
        foreach (var variant in new[] { "text", "audio", "concat" }) Assert.Contains(table, row => row.StartsWith($"| {variant}", StringComparison.Ordinal));
        await using (var db = lab.Postgres.NewContext())
        {
            var grid = await db.Grids.SingleAsync(g => g.Id == gridId);
            Assert.Equal("baselines on emosynth", grid.Name);
            Assert.Equal((await db.Users.SingleAsync(u => u.UserName == member.UserName)).Id, grid.OwnerId);
            Assert.Equal("cli study", (await db.Projects.SingleAsync(p => p.Id == grid.ProjectId)).Name);
            Assert.Equal(6, await db.Runs.CountAsync(r => r.GridId == gridId && r.Status == Data.Entities.RunStatus.Succeeded));
        }

        // export over the API writes the bytes the grid page downloads.
        var file = new FileInfo(Path.Combine(lab.ArtifactRoot, $"cli-grid-{gridId}.csv"));
        Assert.Equal(0, await RemoteExport.TableAsync(api, gridId, "csv", null, null, null, file, output, errors, CancellationToken.None));
        using var client = member.TokenClient();
        Assert.Equal(await client.GetByteArrayAsync($"/api/grids/{gridId}/export?format=csv"), await File.ReadAllBytesAsync(file.FullName));
        var figure = new FileInfo(Path.Combine(lab.ArtifactRoot, $"cli-grid-{gridId}-bars.svg"));
        Assert.Equal(0, await RemoteExport.FigureAsync(api, gridId, null, "bars", "svg", null, null, null, null, null, false, null, null, figure, output, errors, CancellationToken.None));
        Assert.Equal(await client.GetByteArrayAsync($"/api/grids/{gridId}/figures/bars?format=svg&size=single&metric=wf1&interval=std"),
            await File.ReadAllBytesAsync(figure.FullName));

        // A grid that is not there is named; so is a token the platform refuses.
        var refused = new StringWriter();
        Assert.Equal(1, await RemoteExport.TableAsync(api, 999_999, "md", null, null, null, null, output, refused, CancellationToken.None));
        Assert.Equal("export: There is no grid 999999", refused.ToString().Trim());
        using var wrong = new PlatformApiClient(lab.BaseAddress, "elab_not-a-token");
        refused = new StringWriter();
        Assert.Equal(1, await RemoteSubmission.SubmitTemplateAsync(wrong, "baselines", TrainingLabFixture.CorpusName, [1], 1, [], null, null, false, false,
            output, refused, CancellationToken.None));
        Assert.Contains("refused the token (401): make one on its account page", refused.ToString());

        // --set's problems come back under --set, as on a node.
        refused = new StringWriter();
        Assert.Equal(1, await RemoteSubmission.SubmitTemplateAsync(api, "baselines", TrainingLabFixture.CorpusName, [1], 1, ["learningRat = 1e-3"], null, null, false, false,
            output, refused, CancellationToken.None));
        Assert.Equal("submit: --set: learningRat: the spec has no field 'learningRat'", refused.ToString().Trim());
    }
}
