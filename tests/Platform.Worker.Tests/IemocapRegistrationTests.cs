using EmotionLab.Data.Queries;
using EmotionLab.Data.Tests;
using EmotionLab.Models.Tests.Corpora;
using EmotionLab.Worker.Corpora;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EmotionLab.Worker.Tests;

/// <summary>IEMOCAP registers with its folds (sessions) and dialog names; its wavs are used in place.</summary>
[Collection(nameof(ThrowawayPostgres))]
public sealed class IemocapRegistrationTests(ThrowawayPostgres postgres, IemocapTreeFixture iemocap) : IClassFixture<IemocapTreeFixture>
{
    [Fact]
    public async Task Iemocap_registers_with_its_folds_splits_and_dialog_names()
    {
        var name = "iemocap-" + Guid.NewGuid().ToString("N")[..8];
        await using var database = NpgsqlDataSource.Create(postgres.ConnectionString);
        var result = await new CorpusRegistration(database).RegisterAsync(
            new CorpusRegistrationRequest(name, "iemocap", iemocap.Root, Path.Combine(iemocap.Folder, "registered")));
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.False(File.Exists(Path.Combine(iemocap.Folder, "registered", ExtractedAudioCache.MarkerFile)), "IEMOCAP's wavs are not extracted");

        var read = iemocap.Corpus;
        await using var db = postgres.NewContext();
        var overview = (await new CorpusOverviewQuery(db).ExecuteAsync(result.CorpusId!.Value))!;
        Assert.Equal(read.Utterances.Count, overview.Utterances);
        Assert.Equal(
            read.Utterances.GroupBy(u => u.Fold!.Value).OrderBy(g => g.Key).Select(g => (g.Key, g.Count(), g.Select(u => u.Dialogue).Distinct().Count())),
            overview.Folds.Select(f => (f.Fold, f.Utterances, f.Dialogues)));
        Assert.Equal(read.Splits.OrderBy(CorpusOverview.SplitRank), overview.Splits.Select(s => s.Split));
        Assert.Equal(read.Utterances.Count(u => !u.AudioOk), overview.AudioBad);
        foreach (var raw in read.Utterances.Select(u => u.RawLabel).Distinct())
            Assert.Equal(read.Utterances.Count(u => u.RawLabel == raw), overview.LabelTotal(raw));

        var dialogs = await db.Dialogues.Where(d => d.CorpusId == result.CorpusId).OrderBy(d => d.ExternalId).Select(d => new { d.ExternalId, d.Fold }).ToListAsync();
        Assert.Equal(read.Dialogues.Select(d => (d.Key["iemocap-".Length..], d.Fold)).OrderBy(d => d.Item1, StringComparer.Ordinal), dialogs.Select(d => (d.ExternalId, d.Fold)));
    }
}
