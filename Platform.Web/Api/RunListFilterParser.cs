using EmotionLab.Data.Entities;
using EmotionLab.Data.Queries;

namespace EmotionLab.Web.Api;

/// <summary>
/// Reads a runs filter from a query string (status, family, grid, corpus, experiment, owner, project, before, limit), as the
/// runs page, its partial and /api/runs share it. Errors name the offending field.
/// </summary>
public static class RunListFilterParser
{
    public static (RunListFilter Filter, Dictionary<string, string[]> Errors) Parse(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        var filter = new RunListFilter();

        if (Value(query, "status") is { } status)
        {
            // Enum.TryParse would also take numbers ("7"); only the names are statuses.
            if (Enum.GetNames<RunStatus>().FirstOrDefault(n => string.Equals(n, status, StringComparison.OrdinalIgnoreCase)) is { } name)
                filter = filter with { Status = Enum.Parse<RunStatus>(name) };
            else errors["status"] = [$"'{status}' is not a run status; use one of {string.Join(", ", Enum.GetNames<RunStatus>())}"];
        }
        if (Value(query, "family") is { } family) filter = filter with { Family = family };
        if (Id(query, "grid", errors) is { } grid) filter = filter with { GridId = grid };
        if (Id(query, "corpus", errors) is { } corpus) filter = filter with { CorpusId = corpus };
        if (Id(query, "experiment", errors) is { } experiment) filter = filter with { ExperimentId = experiment };
        if (Id(query, "owner", errors) is { } owner) filter = filter with { OwnerId = owner };
        if (Id(query, "project", errors) is { } project) filter = filter with { ProjectId = project };
        if (Id(query, "before", errors) is { } before) filter = filter with { Before = before };
        if (Value(query, "limit") is { } limitText)
        {
            if (int.TryParse(limitText, out var limit) && limit is >= 1 and <= RunListFilter.MaxLimit) filter = filter with { Limit = limit };
            else errors["limit"] = [$"'{limitText}' is not a page size; use a whole number from 1 to {RunListFilter.MaxLimit}"];
        }
        return (filter, errors);
    }

    /// <summary>The query string that selects this filter (without the cursor unless given), for links and polling.</summary>
    public static string ToQueryString(RunListFilter filter, long? before = null)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        if (filter.Status is { } status) pairs.Add(new("status", status.ToString()));
        if (filter.Family is { } family) pairs.Add(new("family", family));
        if (filter.GridId is { } grid) pairs.Add(new("grid", grid.ToString()));
        if (filter.CorpusId is { } corpus) pairs.Add(new("corpus", corpus.ToString()));
        if (filter.ExperimentId is { } experiment) pairs.Add(new("experiment", experiment.ToString()));
        if (filter.OwnerId is { } owner) pairs.Add(new("owner", owner.ToString()));
        if (filter.ProjectId is { } project) pairs.Add(new("project", project.ToString()));
        if (filter.Limit != RunListFilter.DefaultLimit) pairs.Add(new("limit", filter.Limit.ToString()));
        if (before is { } b) pairs.Add(new("before", b.ToString()));
        return QueryString.Create(pairs).ToString();
    }

    private static string? Value(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) && values.ToString() is { Length: > 0 } value ? value.Trim() : null;

    private static long? Id(IQueryCollection query, string key, Dictionary<string, string[]> errors)
    {
        if (Value(query, key) is not { } text) return null;
        if (long.TryParse(text, out var id) && id > 0) return id;
        errors[key] = [$"'{text}' is not an id; use a positive whole number"];
        return null;
    }
}
