using EmotionLab.Data.Queries;
using EmotionLab.Web.Startup;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EmotionLab.Web.Components.Demo;

/// <summary>The demo panel as an htmx fragment: the dashboard and the Corpora page poll it while the demo runs.</summary>
public static class DemoPartials
{
    public const string Path = "/demo/progress";

    public static IEndpointRouteBuilder MapDemoPartials(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async (DemoProgress progress, RunListQuery runs, IConfiguration configuration, CancellationToken cancellation) =>
            new RazorComponentResult<DemoPanel>(new Dictionary<string, object?>
            {
                [nameof(DemoPanel.View)] = await DemoView.LoadAsync(progress, runs, configuration, cancellation),
            }));
        return endpoints;
    }
}
