using EmotionLab.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>
/// Every stored corpus (or one) with its counts, all counted by PostgreSQL (GROUP BY over the
/// utterances and dialogues tables): the page never loads utterances.
/// </summary>
public sealed class CorpusOverviewQuery(EmotionLabDbContext db)
{
    /// <summary>All corpora by name.</summary>
    public Task<IReadOnlyList<CorpusOverview>> ExecuteAsync(CancellationToken cancellation = default) => LoadAsync(null, cancellation);

    public async Task<CorpusOverview?> ExecuteAsync(long corpusId, CancellationToken cancellation = default) =>
        (await LoadAsync(corpusId, cancellation)).SingleOrDefault();

    private async Task<IReadOnlyList<CorpusOverview>> LoadAsync(long? corpusId, CancellationToken cancellation)
    {
        var corpora = await db.Corpora.AsNoTracking().Where(c => corpusId == null || c.Id == corpusId)
            .OrderBy(c => c.Name).ToListAsync(cancellation);
        if (corpora.Count == 0) return [];
        var ids = corpora.Select(c => c.Id).ToArray();
        var utterances = db.Utterances.AsNoTracking().Where(u => ids.Contains(u.CorpusId));

        var splits = await utterances.GroupBy(u => new { u.CorpusId, u.Split })
            .Select(g => new { g.Key.CorpusId, g.Key.Split, Utterances = g.Count(), AudioOk = g.Count(u => u.AudioOk) })
            .ToListAsync(cancellation);
        var dialogues = await db.Dialogues.AsNoTracking().Where(d => ids.Contains(d.CorpusId))
            .GroupBy(d => new { d.CorpusId, d.Split })
            .Select(g => new { g.Key.CorpusId, g.Key.Split, Dialogues = g.Count() })
            .ToListAsync(cancellation);
        var labels = await utterances.GroupBy(u => new { u.CorpusId, u.Split, u.RawLabel })
            .Select(g => new { g.Key.CorpusId, g.Key.Split, g.Key.RawLabel, Utterances = g.Count() })
            .ToListAsync(cancellation);
        var folds = await utterances.Where(u => u.Fold != null).GroupBy(u => new { u.CorpusId, Fold = u.Fold!.Value })
            .Select(g => new { g.Key.CorpusId, g.Key.Fold, Utterances = g.Count(), Dialogues = g.Select(u => u.DialogueId).Distinct().Count() })
            .ToListAsync(cancellation);
        var audioProblems = await utterances.Where(u => !u.AudioOk).GroupBy(u => new { u.CorpusId, u.AudioProblem })
            .Select(g => new { g.Key.CorpusId, g.Key.AudioProblem, Utterances = g.Count() })
            .ToListAsync(cancellation);

        return corpora.Select(c =>
        {
            var splitNames = splits.Where(s => s.CorpusId == c.Id).Select(s => s.Split)
                .Union(dialogues.Where(d => d.CorpusId == c.Id).Select(d => d.Split))
                .OrderBy(CorpusOverview.SplitRank).ThenBy(s => s, StringComparer.Ordinal);
            return new CorpusOverview(
                c,
                splitNames.Select(split =>
                {
                    var u = splits.FirstOrDefault(s => s.CorpusId == c.Id && s.Split == split);
                    var d = dialogues.FirstOrDefault(x => x.CorpusId == c.Id && x.Split == split);
                    return new CorpusSplitCounts(split, u?.Utterances ?? 0, d?.Dialogues ?? 0, u?.AudioOk ?? 0);
                }).ToList(),
                labels.Where(l => l.CorpusId == c.Id)
                    .OrderBy(l => CorpusOverview.SplitRank(l.Split)).ThenBy(l => l.Split, StringComparer.Ordinal).ThenBy(l => l.RawLabel, StringComparer.Ordinal)
                    .Select(l => new CorpusLabelCount(l.Split, l.RawLabel, l.Utterances)).ToList(),
                folds.Where(f => f.CorpusId == c.Id).OrderBy(f => f.Fold).Select(f => new CorpusFoldCount(f.Fold, f.Utterances, f.Dialogues)).ToList(),
                audioProblems.Where(p => p.CorpusId == c.Id).OrderByDescending(p => p.Utterances).ThenBy(p => p.AudioProblem, StringComparer.Ordinal)
                    .Select(p => new CorpusAudioProblemCount(p.AudioProblem ?? "unknown", p.Utterances)).ToList(),
                CorpusReport.Parse(c.ReportJson));
        }).ToList();
    }
}
