using System.Net.Http.Json;
using System.Text.Json;
using System.Net;
using EmotionLab.Data.Accounts;
using EmotionLab.Data.Entities;
using EmotionLab.Models.Experiments;
using EmotionLab.Models.Families.Baselines;
using EmotionLab.Worker.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmotionLab.Web.Tests;

/// <summary>Who may change a run, through the real app: its owner and admins; not another member, not a viewer.</summary>
[Collection(nameof(TrainingLabFixture))]
public sealed class OwnershipTests(TrainingLabFixture lab)
{
    [Fact]
    public async Task A_member_changes_their_own_runs_not_another_members_and_an_admin_changes_any()
    {
        var owner = await LabSession.CreateAsync(lab.Services, lab.BaseAddress, "owner-member", LabRoles.Member);
        var other = await LabSession.CreateAsync(lab.Services, lab.BaseAddress, "other-member", LabRoles.Member);
        var viewer = await LabSession.CreateAsync(lab.Services, lab.BaseAddress, "reading-viewer", LabRoles.Viewer);
        long ownerId;
        await using (var db = lab.Postgres.NewContext()) ownerId = (await db.Users.SingleAsync(u => u.UserName == owner.UserName)).Id;

        await using var paused = await lab.PauseWorkerAsync();
        var spec = new ExperimentSpec
        {
            Corpus = TrainingLabFixture.CorpusName, LabelSet = "meld7", Modalities = Modalities.Text, Epochs = 2,
            Baselines = new BaselinesConfig { Variant = BaselinesConfig.TextVariant },
        };
        var submitted = await lab.Services.GetRequiredService<ExperimentSubmission>().SubmitExperimentAsync("owned run", spec, [1], ownerId: ownerId);
        Assert.True(submitted.Succeeded, string.Join("; ", submitted.Problems));
        var runId = submitted.RunIds.Single();
        await using (var db = lab.Postgres.NewContext()) Assert.Equal(ownerId, (await db.Experiments.SingleAsync(e => e.Id == submitted.ExperimentIds[0])).OwnerId);

        async Task<HttpStatusCode> PostAsync(LabSession session, string action)
        {
            using var client = session.TokenClient();
            using var response = await client.PostAsync($"/api/runs/{runId}/{action}", null);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(viewer, "cancel"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(other, "cancel"));
        Assert.Equal(RunStatus.Queued, (await lab.RunAsync(runId)).Status);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(owner, "cancel"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(other, "retry"));
        Assert.Equal(RunStatus.Canceled, (await lab.RunAsync(runId)).Status);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(owner, "retry"));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(lab.Session, "cancel")); // the admin
        Assert.Equal(RunStatus.Canceled, (await lab.RunAsync(runId)).Status);

        // Every change is on the run's history, with who made it; the refused ones left nothing.
        await using (var db = lab.Postgres.NewContext())
        {
            var history = await db.RunActions.Where(a => a.RunId == runId).OrderBy(a => a.Id)
                .Select(a => new { a.Action, User = db.Users.Where(u => u.Id == a.UserId).Select(u => u.UserName).Single() }).ToListAsync();
            Assert.Equal(
                new[] { ("queued", owner.UserName), ("canceled", owner.UserName), ("retried", owner.UserName), ("canceled", lab.Session.UserName) },
                history.Select(h => (h.Action, h.User)));
        }
        var page = await lab.Client.GetStringAsync($"/runs/{runId}");
        Assert.Matches("canceled by <span class=\"run-history-user\">lab-admin</span>", page);

        // "Mine": the owner's runs, named as theirs in the list and the API.
        using var ownerClient = owner.TokenClient();
        var mine = await ownerClient.GetFromJsonAsync<JsonElement>($"/api/runs?owner={ownerId}");
        Assert.Equal([runId], mine.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));
        Assert.Equal(owner.UserName, mine.GetProperty("runs")[0].GetProperty("owner").GetString());
        // The runs page offers the switch to a signed-in user (its rows are read once the page is interactive).
        Assert.Contains("id=\"filter-mine\"", await ownerClient.GetStringAsync($"/runs?owner={ownerId}"));
    }
}
