using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>
/// Grids, experiments, corpora and projects whose names contain what was typed (any case), newest first,
/// for the autocompletes of the runs filter; and the names of ids a URL already holds.
/// </summary>
public sealed class NameSearchQuery(EmotionLabDbContext db)
{
    public const int Limit = 20;

    public async Task<List<NamedId>> GridsAsync(string? text, CancellationToken cancellation = default)
    {
        var pattern = Pattern(text);
        return await db.Grids.AsNoTracking().Where(g => EF.Functions.ILike(g.Name, pattern)).OrderByDescending(g => g.Id).Take(Limit)
            .Select(g => new NamedId(g.Id, g.Name)).ToListAsync(cancellation);
    }

    public async Task<List<NamedId>> ExperimentsAsync(string? text, CancellationToken cancellation = default)
    {
        var pattern = Pattern(text);
        return await db.Experiments.AsNoTracking().Where(e => EF.Functions.ILike(e.Name, pattern)).OrderByDescending(e => e.Id).Take(Limit)
            .Select(e => new NamedId(e.Id, "#" + e.Id + " " + e.Name)).ToListAsync(cancellation);
    }

    public async Task<List<NamedId>> CorporaAsync(string? text, CancellationToken cancellation = default)
    {
        var pattern = Pattern(text);
        return await db.Corpora.AsNoTracking().Where(c => EF.Functions.ILike(c.Name, pattern)).OrderByDescending(c => c.Id).Take(Limit)
            .Select(c => new NamedId(c.Id, c.Name)).ToListAsync(cancellation);
    }

    public async Task<List<NamedId>> ProjectsAsync(string? text, CancellationToken cancellation = default)
    {
        var pattern = Pattern(text);
        return await db.Projects.AsNoTracking().Where(p => EF.Functions.ILike(p.Name, pattern)).OrderBy(p => p.Name).Take(Limit)
            .Select(p => new NamedId(p.Id, p.Name)).ToListAsync(cancellation);
    }

    /// <summary>The families that have runs, for the family filter.</summary>
    public async Task<List<string>> FamiliesAsync(CancellationToken cancellation = default) =>
        await db.Runs.AsNoTracking().Select(r => r.Family).Distinct().OrderBy(f => f).ToListAsync(cancellation);

    public async Task<NamedId?> GridAsync(long id, CancellationToken cancellation = default) =>
        await db.Grids.AsNoTracking().Where(g => g.Id == id).Select(g => new NamedId(g.Id, g.Name)).SingleOrDefaultAsync(cancellation);

    public async Task<NamedId?> ExperimentAsync(long id, CancellationToken cancellation = default) =>
        await db.Experiments.AsNoTracking().Where(e => e.Id == id).Select(e => new NamedId(e.Id, "#" + e.Id + " " + e.Name)).SingleOrDefaultAsync(cancellation);

    public async Task<NamedId?> ProjectAsync(long id, CancellationToken cancellation = default) =>
        await db.Projects.AsNoTracking().Where(p => p.Id == id).Select(p => new NamedId(p.Id, p.Name)).SingleOrDefaultAsync(cancellation);

    public async Task<string?> UserNameAsync(long id, CancellationToken cancellation = default) =>
        await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.UserName).SingleOrDefaultAsync(cancellation);

    public async Task<NamedId?> CorpusAsync(long id, CancellationToken cancellation = default) =>
        await db.Corpora.AsNoTracking().Where(c => c.Id == id).Select(c => new NamedId(c.Id, c.Name)).SingleOrDefaultAsync(cancellation);

    // ILIKE's wildcards in what was typed are matched literally; nothing typed matches everything.
    private static string Pattern(string? text) =>
        "%" + (text ?? "").Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
}
