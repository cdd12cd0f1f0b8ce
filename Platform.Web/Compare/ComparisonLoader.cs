using EmotionLab.Data.Queries.Comparison;

namespace EmotionLab.Web.Compare;

/// <summary>Turns a compare request into its runs and the messages about what it asked for; the page and /api/compare share it.</summary>
public sealed class ComparisonLoader(ComparedRunsQuery runsQuery, GridVariantRunsQuery gridQuery)
{
    public async Task<LoadedComparison> LoadAsync(CompareRequest request, CancellationToken cancellation = default)
    {
        if (request.GridId is not { } gridId)
        {
            var found = await runsQuery.ExecuteAsync(request.RunIds, cancellation);
            var problems = found.MissingIds.Count == 0 ? [] : new List<string> { UnknownRuns(found.MissingIds, anyFound: found.Runs.Count > 0) };
            return new LoadedComparison(found.Runs, found.MissingIds, null, problems,
                found.Runs.Count == 0 ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
        }

        var grid = await gridQuery.ExecuteAsync(gridId, request.Variants, cancellation);
        if (grid is null) return new LoadedComparison([], [], null, [$"There is no grid {gridId}."], StatusCodes.Status404NotFound);
        var gridProblems = new List<string>();
        if (grid.UnknownVariants.Count > 0)
            gridProblems.Add($"Grid {grid.GridName} has no variant {string.Join(", ", grid.UnknownVariants.Select(v => $"'{v}'"))}; its variants are {string.Join(", ", grid.Variants.Select(v => $"'{v}'"))}.");
        // Only unknown variants asked for: nothing of what was asked exists.
        var nothingExists = request.Variants.Count > 0 && grid.UnknownVariants.Count == request.Variants.Count;
        var runs = await runsQuery.ExecuteAsync(grid.RunIds, cancellation);
        if (runs.Runs.Count == 0 && !nothingExists)
            gridProblems.Add($"No run of {(request.Variants.Count == 0 ? "this grid" : "these variants")} has succeeded yet: only succeeded runs are compared.");
        return new LoadedComparison(runs.Runs, [], grid, gridProblems, nothingExists ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
    }

    private static string UnknownRuns(IReadOnlyList<long> ids, bool anyFound) =>
        $"{(ids.Count == 1 ? "There is no run" : "There are no runs")} {string.Join(", ", ids)}{(anyFound ? ": left out of the comparison" : "")}.";
}
