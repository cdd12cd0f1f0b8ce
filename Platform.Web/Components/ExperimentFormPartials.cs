using EmotionLab.Web.Components.Experiments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Components;

/// <summary>
/// The New experiment form's live parts: the label sets of the chosen corpus, and the spec JSON
/// of the values as they stand (posted with the form's antiforgery token).
/// </summary>
public static class ExperimentFormPartials
{
    public static IEndpointRouteBuilder MapExperimentFormPartials(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/experiments/new/label-set", (string? corpus, HttpResponse response) =>
        {
            // The spec preview listens for this, so it follows the label set that came with the corpus.
            response.Headers["HX-Trigger-After-Swap"] = "label-sets-changed";
            var state = ExperimentFormState.Defaults(FamilyForms.Default, [corpus ?? ""]);
            return new RazorComponentResult<LabelSetSelect>(new Dictionary<string, object?> { [nameof(LabelSetSelect.State)] = state });
        });
        endpoints.MapPost("/experiments/new/spec-json", async (HttpRequest request, CancellationToken cancellation) =>
        {
            var build = ExperimentFormState.Posted(await request.ReadFormAsync(cancellation), []).Build();
            return new RazorComponentResult<SpecJsonPreview>(new Dictionary<string, object?>
            {
                [nameof(SpecJsonPreview.Spec)] = build.Spec, [nameof(SpecJsonPreview.Seeds)] = build.Seeds,
                [nameof(SpecJsonPreview.Name)] = build.Name, [nameof(SpecJsonPreview.Problems)] = build.Problems,
            });
        }).RequireAntiforgeryToken();
        return endpoints;
    }
}
