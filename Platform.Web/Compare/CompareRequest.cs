namespace EmotionLab.Web.Compare;

/// <summary>
/// What /compare and /api/compare are asked for, from the query string: either run ids,
/// <c>runs=12,15,18</c> (or <c>runs</c> repeated, as the runs list's checkboxes send them), or a
/// grid and some of its variants, <c>grid=3&amp;variant=full&amp;variant=w/o%20ICN</c> (every
/// variant when none is named; a parameter per variant because variant names of multi-axis grids
/// contain commas), whose succeeded runs are then compared. <c>group=run|variant</c> picks how the
/// page starts; a grid starts grouped by variant. Errors name the offending parameter.
/// </summary>
public sealed record CompareRequest(IReadOnlyList<long> RunIds, long? GridId, IReadOnlyList<string> Variants, CompareGrouping Grouping)
{
    /// <summary>More would not read as a comparison any more (and each run is a heatmap of its own).</summary>
    public const int MaxRuns = 100;

    public bool IsEmpty => RunIds.Count == 0 && GridId is null;

    public static (CompareRequest Request, Dictionary<string, string[]> Errors) Parse(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        var runIds = new List<long>();
        var badIds = new List<string>();
        foreach (var text in query["runs"].SelectMany(v => (v ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (long.TryParse(text, out var id) && id > 0) { if (!runIds.Contains(id)) runIds.Add(id); }
            else badIds.Add(text);
        }
        if (badIds.Count > 0) errors["runs"] = [$"{string.Join(", ", badIds.Select(b => $"'{b}'"))} {(badIds.Count == 1 ? "is not a run id" : "are not run ids")}; use positive whole numbers, e.g. runs=12,15"];
        else if (runIds.Count > MaxRuns) errors["runs"] = [$"{runIds.Count} runs are too many to compare; pick at most {MaxRuns}"];

        long? gridId = null;
        if (query["grid"].ToString().Trim() is { Length: > 0 } gridText)
        {
            if (long.TryParse(gridText, out var grid) && grid > 0) gridId = grid;
            else errors["grid"] = [$"'{gridText}' is not a grid id; use a positive whole number"];
        }
        if (runIds.Count > 0 && gridId is not null) errors["grid"] = ["give either runs or a grid, not both"];

        var variants = query["variant"].Select(v => v?.Trim() ?? "").Where(v => v.Length > 0).Distinct().ToList();
        if (variants.Count > 0 && gridId is null && !errors.ContainsKey("grid")) errors["variant"] = ["variants are picked from a grid: add grid=ID"];

        var grouping = gridId is null ? CompareGrouping.Run : CompareGrouping.Variant;
        if (query["group"].ToString().Trim() is { Length: > 0 } groupText)
        {
            if (Enum.TryParse<CompareGrouping>(groupText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(groupText, out _)) grouping = parsed;
            else errors["group"] = [$"'{groupText}' is not a grouping; use run or variant"];
        }
        return (new CompareRequest(runIds, gridId, variants, grouping), errors);
    }

    /// <summary>The query string that selects the same runs (without the grouping), for /api/compare and links.</summary>
    public string SelectionQueryString() => GridId is { } grid
        ? QueryString.Create([new("grid", grid.ToString()), .. Variants.Select(v => new KeyValuePair<string, string?>("variant", v))]).ToString()
        : "?runs=" + string.Join(",", RunIds);
}
