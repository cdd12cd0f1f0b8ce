using System.Text;
using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;

namespace EmotionLab.Worker.Grids;

/// <summary>
/// A grid's results written as a table file, the same way for `export` and GET /api/grids/{id}/export:
/// the comparison as the grid page builds it, against the requested reference, in one format.
/// </summary>
public static class GridTableExport
{
    /// <summary>
    /// The problem with a requested reference, or null when it is fine (none requested, or one of the
    /// grid's variants). The page quietly falls back to the grid's own reference; an export says so
    /// instead, since the file would otherwise hold deltas against a row the caller did not ask for.
    /// </summary>
    /// <summary>
    /// GET /api/grids/{id}/export's address for a format, keeping a reference, interval and adjustment: the grid
    /// page's download links, and what `export` and `submit --wait` fetch over the API.
    /// </summary>
    public static string ApiPath(long gridId, GridTableFormat format, string? reference, TableStatistics statistics) =>
        $"/api/grids/{gridId}/export?format={format.Name}" + (reference is null ? "" : $"&reference={Uri.EscapeDataString(reference)}") +
        $"&interval={statistics.Interval.Name}&adjust={statistics.AdjustName}";

    /// <summary>A table's format and statistics as `export` names them, or the one-line problem of either.</summary>
    public static (GridTableFormat? Format, TableStatistics? Statistics, string? Problem) ParseOptions(string formatName, string? interval, string? adjust)
    {
        if (GridTableFormat.Find(formatName) is not { } format) return (null, null, $"unknown format '{formatName}': use {GridTableFormat.Names}");
        var (statistics, problem) = TableStatistics.Parse(interval, adjust);
        return (format, statistics, problem);
    }

    public static string? ReferenceProblem(GridResults results, string? reference)
    {
        if (reference is null) return null;
        var rows = FoldAverage.Apply(results).Results.Variants; // a fold grid is compared by its rows over folds
        return rows.Any(v => v.Variant == reference)
            ? null
            : $"grid {results.Grid.Id} has no variant '{reference}'; its variants: {string.Join(", ", rows.Select(v => $"'{v.Variant}'"))}";
    }

    public static string Write(GridResults results, string? reference, GridTableFormat format, TableStatistics? statistics = null) =>
        format.Write(GridTable.From(GridComparison.Build(results, reference, statistics)));

    /// <summary>"bcaf-ablation-grid-12.tex": the grid's name made file-safe, its id, the format's extension.</summary>
    public static string FileName(Grid grid, GridTableFormat format)
    {
        var slug = Slug(grid.Name);
        return $"{(slug.Length > 0 ? slug + "-" : "")}grid-{grid.Id}.{format.Extension}";
    }

    /// <summary>Lower-case ASCII letters and digits, every other run of characters one dash, no dash at either end.</summary>
    public static string Slug(string text)
    {
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
        }
        return slug.ToString().TrimEnd('-');
    }
}
