using EmotionLab.Web.Accounts;
using EmotionLab.Models.Corpora;
using EmotionLab.Web.Corpora;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Api;

/// <summary>
/// Corpus imports for scripts, the same imports the Corpora page starts: POST /api/corpora/imports
/// with {name, format, sourcePath, replace} starts one in the background (202, Location its status;
/// 400 with every problem of the request, 409 while another import runs), GET
/// /api/corpora/imports/{id} follows it until it succeeded with its corpus id or failed with every
/// problem (file, row, what to do). Imports are kept in the app's memory until it restarts (404 then).
/// </summary>
public static class CorporaApi
{
    public static IEndpointRouteBuilder MapCorporaApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/corpora/imports", Start).RequireAuthorization(AccountPolicies.ApiChange);
        endpoints.MapGet("/api/corpora/imports/{id:int}", Get);
        return endpoints;
    }

    /// <summary>What POST /api/corpora/imports reads; an empty name means the format's own name.</summary>
    public sealed record ImportRequest(string? Name, string? Format, string? SourcePath, bool Replace = false);

    private static Results<Accepted<CorpusImportJson>, ProblemHttpResult> Start(ImportRequest request, CorpusImports imports)
    {
        var format = request.Format?.Trim() ?? "";
        var name = string.IsNullOrWhiteSpace(request.Name) ? format : request.Name.Trim();
        var start = imports.Start(name, format, request.SourcePath?.Trim() ?? "", request.Replace);
        if (start.Started is { } started) return TypedResults.Accepted($"/api/corpora/imports/{started.Id}", CorpusImportJson.From(started));
        // Another import running is the lab's state, not the request's fault.
        return TypedResults.Problem(statusCode: start.Busy ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
            title: "The import was not started", detail: string.Join(" ", start.Problems.Select(p => $"{p.Message} ({p.Remedy}).")),
            extensions: new Dictionary<string, object?> { ["problems"] = start.Problems.Select(CorpusProblemJson.From).ToList() });
    }

    private static Results<Ok<CorpusImportJson>, ProblemHttpResult> Get(int id, CorpusImports imports) =>
        imports.Find(id) is { } status
            ? TypedResults.Ok(CorpusImportJson.From(status))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such import",
                detail: $"There is no import {id} in this app's memory (imports are kept until the app restarts); GET /corpora lists what was stored.");
}

/// <summary>One import: what was asked, its stage and count so far, and how it ended.</summary>
public sealed record CorpusImportJson(
    int Id, string Name, string Format, string SourcePath, bool Replace, CorpusImportOutcome Outcome, string Stage, int Done, int Total, string Unit,
    long? CorpusId, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, IReadOnlyList<CorpusProblemJson> Problems)
{
    public static CorpusImportJson From(CorpusImportStatus s) => new(
        s.Id, s.Name, s.Format, s.SourcePath, s.Replace, s.Outcome, s.Progress.Stage, s.Progress.Done, s.Progress.Total, s.Progress.Unit,
        s.CorpusId, s.StartedAt, s.FinishedAt, s.AllProblems.Select(CorpusProblemJson.From).ToList());
}

/// <summary>A problem of an import: the file (relative to the corpus folder) and line or row it is in, and what to do.</summary>
public sealed record CorpusProblemJson(string Severity, string File, int? Line, string Message, string Remedy)
{
    public static CorpusProblemJson From(ImportProblem p) => new(p.Severity == ProblemSeverity.Error ? "error" : "warning", p.File, p.Line, p.Message, p.Remedy);
}
