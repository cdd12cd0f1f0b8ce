using EmotionLab.Data.Tests;
using EmotionLab.Worker.Queue;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Worker.Tests.Grids;

/// <summary>
/// What the `submit --template` tests of the LLM families share: a transcript corpus under a fresh
/// name, an artifacts folder of their own (tiny model folders go there), `submit` run in-process
/// with one epoch and seeds 0..1, and the count of grids stored for the corpus.
/// </summary>
public abstract class TemplateSubmissionTests(ThrowawayPostgres postgres, string family) : IAsyncLifetime, IDisposable
{
    protected ThrowawayPostgres Postgres { get; } = postgres;
    protected string Artifacts { get; } = Directory.CreateTempSubdirectory($"{family}-submit-").FullName;
    protected string CorpusName { get; private set; } = "";

    public async Task InitializeAsync() => CorpusName = await TranscriptCorpus.CreateAsync(Postgres);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Directory.Delete(Artifacts, true);
        GC.SuppressFinalize(this);
    }

    protected async Task<(int Exit, string Output, string Errors)> SubmitAsync(string template, string[] settings, bool tinyModels = false)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await SubmitVerb.RunTemplateAsync(template, CorpusName, [2], epochs: 1, settings, name: null, Postgres.ConnectionString, wait: false,
            output, errors, CancellationToken.None, Artifacts, tinyModels);
        return (exit, output.ToString(), errors.ToString());
    }

    protected async Task<int> GridCountAsync()
    {
        await using var db = Postgres.NewContext();
        return await db.Grids.CountAsync(g => g.Name.EndsWith(CorpusName));
    }
}
