using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EmotionLab.Data.Accounts;
using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Web.Tests;

/// <summary>
/// Queuing and deleting over the API with tokens, through the real app: POST /api/experiments and
/// /api/grids queue as the token's user into a project; a viewer and another member are refused
/// and change nothing; the owner deletes their run (canceled first, its folder gone, the deletion
/// recorded and told at the run's address); an admin deletes another member's grid with its runs.
/// </summary>
[Collection(nameof(TrainingLabFixture))]
public sealed class DeletionTests(TrainingLabFixture lab)
{
    private static object Spec(int epochs = 2) => new
    {
        family = "baselines", corpus = TrainingLabFixture.CorpusName, labelSet = "meld7", modalities = "text", epochs,
        baselines = new { variant = "text" },
    };

    [Fact]
    public async Task Work_queued_over_the_api_is_deleted_by_its_owner_or_an_admin_and_by_no_one_else()
    {
        var owner = await LabSession.CreateAsync(lab.Services, lab.BaseAddress, "deleting-owner", LabRoles.Member);
        var other = await LabSession.CreateAsync(lab.Services, lab.BaseAddress, "deleting-other", LabRoles.Member);
        var viewer = await LabSession.CreateAsync(lab.Services, lab.BaseAddress, "deleting-viewer", LabRoles.Viewer);
        using var ownerClient = owner.TokenClient(followRedirects: false);
        using var otherClient = other.TokenClient();
        using var viewerClient = viewer.TokenClient();

        await using var paused = await lab.PauseWorkerAsync();

        // A viewer queues nothing; a bad request names each problem at its field and stores nothing.
        using (var refused = await viewerClient.PostAsJsonAsync("/api/experiments", new { name = "viewer's", spec = Spec() }))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        int experimentsBefore;
        await using (var db = lab.Postgres.NewContext()) experimentsBefore = await db.Experiments.CountAsync();
        using (var bad = await ownerClient.PostAsJsonAsync("/api/experiments", new { name = "bad", spec = Spec(epochs: 0), set = new[] { "learningRat = 1e-3" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.Equal("must be at least 1, got 0", errors.GetProperty("epochs")[0].GetString());
        }
        await using (var db = lab.Postgres.NewContext()) Assert.Equal(experimentsBefore, await db.Experiments.CountAsync());

        // The owner's experiment, in a project made by naming it.
        using var queued = await ownerClient.PostAsJsonAsync("/api/experiments", new { name = "to delete", spec = Spec(), seeds = new[] { 1, 2 }, project = "deletion study" });
        Assert.Equal(HttpStatusCode.Created, queued.StatusCode);
        var submitted = await queued.Content.ReadFromJsonAsync<JsonElement>();
        var runIds = submitted.GetProperty("runs").EnumerateArray().Select(r => r.GetInt64()).ToArray();
        Assert.Equal(2, runIds.Length);
        await using (var db = lab.Postgres.NewContext())
        {
            var experiment = await db.Experiments.SingleAsync(e => e.Id == submitted.GetProperty("experiments")[0].GetInt64());
            Assert.Equal((await db.Users.SingleAsync(u => u.UserName == owner.UserName)).Id, experiment.OwnerId);
            Assert.Equal("deletion study", (await db.Projects.SingleAsync(p => p.Id == experiment.ProjectId)).Name);
        }
        var listed = await ownerClient.GetFromJsonAsync<JsonElement>($"/api/runs?experiment={submitted.GetProperty("experiments")[0].GetInt64()}");
        Assert.All(listed.GetProperty("runs").EnumerateArray(), r => Assert.Equal("deletion study", r.GetProperty("project").GetString()));

        // What a trainer would have left on disk for the first run.
        var folder = Path.Combine(lab.ArtifactRoot, "runs", runIds[0].ToString());
        Directory.CreateDirectory(Path.Combine(folder, "predictions"));
        await File.WriteAllTextAsync(Path.Combine(folder, "trainer.log"), "== attempt 1\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "predictions", "test.csv"), "key,true,predicted\n");

        Assert.Equal(HttpStatusCode.Forbidden, (await viewerClient.DeleteAsync($"/api/runs/{runIds[0]}")).StatusCode);
        using (var notYours = await otherClient.DeleteAsync($"/api/runs/{runIds[0]}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notYours.StatusCode);
            Assert.Contains("only its owner or an admin can delete it", await notYours.Content.ReadAsStringAsync());
        }
        Assert.Equal(RunStatus.Queued, (await lab.RunAsync(runIds[0])).Status);
        Assert.True(File.Exists(Path.Combine(folder, "trainer.log")));

        // The owner deletes the queued run: off the queue, its rows and its folder gone, the deletion kept with who did it.
        using (var deleted = await ownerClient.DeleteAsync($"/api/runs/{runIds[0]}"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            var body = await deleted.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal([runIds[0]], body.GetProperty("runs").EnumerateArray().Select(r => r.GetInt64()));
            Assert.StartsWith("1 run, 0 metric rows, 0 checkpoints, 1 prediction file, ", body.GetProperty("summary").GetString());
        }
        Assert.False(Directory.Exists(folder));
        Assert.False(await lab.IsOnQueueAsync(runIds[0]));
        await using (var db = lab.Postgres.NewContext())
        {
            Assert.False(await db.Runs.AnyAsync(r => r.Id == runIds[0]));
            Assert.False(await db.RunActions.AnyAsync(a => a.RunId == runIds[0]));
            var deletion = await db.Deletions.SingleAsync(d => d.Kind == Deletion.RunKind && d.TargetId == runIds[0]);
            Assert.Equal((await db.Users.SingleAsync(u => u.UserName == owner.UserName)).Id, deletion.UserId);
            Assert.True(await db.Runs.AnyAsync(r => r.Id == runIds[1])); // its sibling seed stays
        }
        using (var gone = await ownerClient.GetAsync($"/runs/{runIds[0]}"))
        {
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            var page = await gone.Content.ReadAsStringAsync();
            Assert.Contains($"Run #{runIds[0]} was deleted", page);
            Assert.Contains("by deleting-owner", page);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await ownerClient.DeleteAsync($"/api/runs/{runIds[0]}")).StatusCode);

        // A grid from a template, queued by the owner; an experiment of it goes only with the grid.
        using var gridQueued = await ownerClient.PostAsJsonAsync("/api/grids", new
        {
            template = "baselines", corpus = TrainingLabFixture.CorpusName, seeds = new[] { 0 }, epochs = 1, project = "deletion study",
        });
        Assert.Equal(HttpStatusCode.Created, gridQueued.StatusCode);
        var grid = await gridQueued.Content.ReadFromJsonAsync<JsonElement>();
        var gridId = grid.GetProperty("grid").GetInt64();
        var gridRuns = grid.GetProperty("runs").EnumerateArray().Select(r => r.GetInt64()).Order().ToArray();
        Assert.Equal(3, gridRuns.Length); // text, audio, concat x one seed
        var gridPage = await ownerClient.GetStringAsync($"/grids/{gridId}");
        Assert.Contains(">deletion study</a>", gridPage);
        Assert.Contains("queued by <span id=\"grid-owner\">deleting-owner</span>", gridPage);
        var gridsList = await ownerClient.GetStringAsync("/grids");
        Assert.Matches($"data-grid-id=\"{gridId}\"[\\s\\S]*?deletion study[\\s\\S]*?deleting-owner", gridsList);
        using (var partOfGrid = await ownerClient.DeleteAsync($"/api/experiments/{grid.GetProperty("experiments")[0].GetInt64()}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, partOfGrid.StatusCode);
            Assert.Contains($"is a variant of grid #{gridId}", await partOfGrid.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await otherClient.DeleteAsync($"/api/grids/{gridId}")).StatusCode);

        // The admin deletes it: its runs, experiments and the grid go; its address says who deleted it.
        using (var deleted = await lab.Client.DeleteAsync($"/api/grids/{gridId}"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            Assert.Equal(gridRuns, (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runs").EnumerateArray().Select(r => r.GetInt64()));
        }
        await using (var db = lab.Postgres.NewContext())
        {
            Assert.False(await db.Grids.AnyAsync(g => g.Id == gridId));
            Assert.False(await db.Experiments.AnyAsync(e => e.GridId == gridId));
            Assert.False(await db.Runs.AnyAsync(r => gridRuns.Contains(r.Id)));
        }
        foreach (var runId in gridRuns) Assert.False(await lab.IsOnQueueAsync(runId));
        using (var gone = await ownerClient.GetAsync($"/grids/{gridId}"))
        {
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            Assert.Contains("by lab-admin", await gone.Content.ReadAsStringAsync());
        }
        using (var gone = await ownerClient.GetAsync($"/runs/{gridRuns[0]}"))
            Assert.Contains($"and run #{gridRuns[0]} with it", await gone.Content.ReadAsStringAsync());

        // The last run goes with its experiment, by the owner.
        using (var deleted = await ownerClient.DeleteAsync($"/api/experiments/{submitted.GetProperty("experiments")[0].GetInt64()}"))
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await using (var db = lab.Postgres.NewContext()) Assert.False(await db.Runs.AnyAsync(r => r.Id == runIds[1]));
    }
}
