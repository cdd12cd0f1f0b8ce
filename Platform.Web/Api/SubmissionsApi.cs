using System.Security.Claims;
using System.Text.Json;
using EmotionLab.Models.Experiments;
using EmotionLab.Web.Accounts;
using EmotionLab.Web.Startup;
using EmotionLab.Worker.Queue;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Api;

/// <summary>
/// Queuing for scripts and the command line, with an admin's or member's token (the work is theirs):
/// POST /api/experiments with {name, spec, seeds, epochs, set, project, tinyModels} queues one run
/// per seed; POST /api/grids with {template, corpus} or {baseSpec, axes}, and {name, seeds, epochs,
/// set, reference, project, tinyModels}, queues the variants x seeds. 201 with the ids stored; 400
/// with every problem by field (spec fields, corpus, set, tinyModels, seeds...) and nothing stored.
/// </summary>
public static class SubmissionsApi
{
    public static IEndpointRouteBuilder MapSubmissionsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/experiments", SubmitExperimentAsync).RequireAuthorization(AccountPolicies.ApiChange);
        endpoints.MapPost("/api/grids", SubmitGridAsync).RequireAuthorization(AccountPolicies.ApiChange);
        return endpoints;
    }

    /// <param name="Spec">an experiment spec, as the New experiment page shows it</param>
    /// <param name="Seeds">one run each (default: the spec's seed)</param>
    /// <param name="Epochs">epochs at most, instead of the spec's</param>
    /// <param name="Set">fields to set, "field = value" each, applied after the tiny model folders</param>
    public sealed record ExperimentRequest(string? Name, JsonElement? Spec, int[]? Seeds, int? Epochs, string[]? Set, string? Project, bool TinyModels = false);

    /// <param name="Template">a grid template's name: its base spec for Corpus, axes and reference (instead of BaseSpec and Axes)</param>
    /// <param name="Axes">the axes as the grid builder's template JSON writes them: [{"name": ..., "values": [{"label": ..., "settings": {...}}]}]</param>
    public sealed record GridRequest(
        string? Name, string? Template, string? Corpus, JsonElement? BaseSpec, JsonElement? Axes, int[]? Seeds, int? Epochs, string[]? Set, string? Reference,
        string? Project, bool TinyModels = false);

    /// <summary>What was queued: the grid (if one), its experiments and their runs.</summary>
    public sealed record SubmittedJson(long? Grid, IReadOnlyList<long> Experiments, IReadOnlyList<long> Runs);

    private static async Task<Results<Created<SubmittedJson>, ValidationProblem>> SubmitExperimentAsync(
        ExperimentRequest request, ClaimsPrincipal user, ExperimentSubmission submission, DatabaseConnection database, IConfiguration configuration,
        IHostEnvironment environment, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request.Name)) return Invalid("name", "give the experiment a name");
        if (request.Spec is not { ValueKind: JsonValueKind.Object } specJson) return Invalid("spec", "give the experiment's spec as a JSON object");
        // A spec for tinyModels may leave its model folders out: it is validated once they are filled.
        var parsed = request.TinyModels ? ExperimentSpecJson.Parse(specJson.GetRawText()) : ExperimentSpecJson.ParseAndValidate(specJson.GetRawText());
        if (parsed.Spec is not { } spec) return Invalid(parsed.Problems);
        if (request.Epochs is { } epochs) spec = spec with { Epochs = epochs };
        var (completed, option, problems) = await SpecCompletion.CompleteAsync(spec, request.Set ?? [], request.TinyModels,
            ArtifactRoot.Resolve(configuration, environment), database.ConnectionString, cancellation);
        if (completed is null) return Invalid(problems.Select(p => new SpecProblem(option!, p.ToString())));

        var result = await submission.SubmitExperimentAsync(request.Name.Trim(), completed, request.Seeds is { Length: > 0 } seeds ? seeds : [completed.Seed],
            cancellation, LabPermissions.UserId(user), request.Project);
        return result.Succeeded
            ? TypedResults.Created($"/api/runs?experiment={result.ExperimentIds[0]}", new SubmittedJson(null, result.ExperimentIds, result.RunIds))
            : Invalid(result.Problems);
    }

    private static async Task<Results<Created<SubmittedJson>, ValidationProblem>> SubmitGridAsync(
        GridRequest request, ClaimsPrincipal user, ExperimentSubmission submission, DatabaseConnection database, IConfiguration configuration,
        IHostEnvironment environment, CancellationToken cancellation)
    {
        ExperimentSpec baseSpec;
        IReadOnlyList<GridAxis> axes;
        string? reference = string.IsNullOrWhiteSpace(request.Reference) ? null : request.Reference.Trim();
        string? name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
        if (request.Template is { Length: > 0 } templateName)
        {
            if (GridTemplates.Find(templateName) is not { } template)
                return Invalid("template", $"there is no template '{templateName}'; templates: {string.Join(", ", GridTemplates.All.Select(t => t.Name))}");
            if (string.IsNullOrWhiteSpace(request.Corpus)) return Invalid("corpus", $"template {template.Name} needs a corpus (an imported corpus's name)");
            if (request.BaseSpec is not null || request.Axes is not null) return Invalid("template", "give a template or a base spec with axes, not both");
            (baseSpec, axes) = (template.BaseSpecFor(request.Corpus.Trim()), template.Axes);
            reference ??= template.ReferenceVariant;
            name ??= $"{template.Name} on {request.Corpus.Trim()}";
        }
        else
        {
            if (request.BaseSpec is not { ValueKind: JsonValueKind.Object } baseJson) return Invalid("baseSpec", "give a template, or a base spec as a JSON object with axes");
            var parsedBase = ExperimentSpecJson.Parse(baseJson.GetRawText());
            if (parsedBase.Spec is null) return Invalid(parsedBase.Problems);
            if (request.Axes is not { ValueKind: JsonValueKind.Array } axesJson) return Invalid("axes", "give the grid's axes as a JSON array");
            try
            {
                axes = axesJson.Deserialize<List<GridAxis>>(ExperimentSpecJson.Options) ?? [];
            }
            catch (JsonException e)
            {
                return Invalid("axes", $"the axes do not read as [{{\"name\": ..., \"values\": [{{\"label\": ..., \"settings\": {{...}}}}]}}]: {e.Message}");
            }
            if (name is null) return Invalid("name", "give the grid a name");
            baseSpec = parsedBase.Spec;
        }
        if (request.Seeds is not { Length: > 0 } seeds) return Invalid("seeds", "give the seeds, e.g. [0, 1, 2]: one run per variant and seed");
        if (request.Epochs is { } epochs) baseSpec = baseSpec with { Epochs = epochs };
        var (completed, option, problems) = await SpecCompletion.CompleteAsync(baseSpec, request.Set ?? [], request.TinyModels,
            ArtifactRoot.Resolve(configuration, environment), database.ConnectionString, cancellation);
        if (completed is null) return Invalid(problems.Select(p => new SpecProblem(option!, p.ToString())));

        var result = await submission.SubmitGridAsync(name, completed, axes, seeds, reference, cancellation, LabPermissions.UserId(user), request.Project);
        return result.Succeeded
            ? TypedResults.Created($"/api/runs?grid={result.GridId}", new SubmittedJson(result.GridId, result.ExperimentIds, result.RunIds))
            : Invalid(result.Problems);
    }

    private static ValidationProblem Invalid(string field, string message) => Invalid([new SpecProblem(field, message)]);

    // Every problem under its field, as the form shows them; a problem of the whole request under "".
    private static ValidationProblem Invalid(IEnumerable<SpecProblem> problems) =>
        TypedResults.ValidationProblem(problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
            title: "Nothing was queued");
}
