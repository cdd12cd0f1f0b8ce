namespace EmotionLab.Worker.Grids;

/// <summary>A format the grid table exports to: the name `export --format` and the API take, its title on the page, file extension, media type and writer.</summary>
public sealed record GridTableFormat(string Name, string Title, string Extension, string ContentType, Func<GridTable, string> Write)
{
    public static readonly GridTableFormat Csv = new("csv", "CSV", "csv", "text/csv; charset=utf-8", GridCsvExport.Write);
    public static readonly GridTableFormat Markdown = new("md", "Markdown", "md", "text/markdown; charset=utf-8", GridMarkdownExport.Write);
    public static readonly GridTableFormat Latex = new("latex", "LaTeX", "tex", "application/x-tex; charset=utf-8", GridLatexExport.Write);

    public static IReadOnlyList<GridTableFormat> All { get; } = [Csv, Markdown, Latex];

    /// <summary>"csv, md or latex", for error messages and help.</summary>
    public static string Names => string.Join(", ", All.Take(All.Count - 1).Select(f => f.Name)) + " or " + All[^1].Name;

    public static GridTableFormat? Find(string? name) => All.FirstOrDefault(f => string.Equals(f.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
