using EmotionLab.Models.Experiments;
using EmotionLab.Web.Startup;
using EmotionLab.Worker.Pretrained;
using EmotionLab.Worker.Queue;

namespace EmotionLab.Web.Components.Experiments;

/// <summary>
/// The New experiment form's submit: the values built into a spec (with tiny random model folders
/// for a smoke test, validated again with them), queued as one run per seed, or every problem put
/// back on the form with nothing stored.
/// </summary>
public sealed class ExperimentFormSubmission(ExperimentSubmission submission, DatabaseConnection database, IConfiguration configuration, IHostEnvironment environment)
{
    /// <summary>Where to go once queued (one seed: its run's page; several: the experiment's runs), or null with the problems on the state.</summary>
    /// <param name="ownerId">The signed-in account that queues it.</param>
    /// <param name="project">The project it goes into (a new name makes one); null: none.</param>
    public async Task<string?> SubmitAsync(ExperimentFormState state, bool tinyModels, long? ownerId, string? project = null, CancellationToken cancellation = default)
    {
        var build = state.Build();
        if (tinyModels && build.Spec is { } spec)
        {
            // The tiny folders fill the model-folder fields: the spec is validated again with them.
            var (tiny, problems) = await TinyModelFolders.ApplyAsync(spec, ArtifactRoot.Resolve(configuration, environment), database.ConnectionString, cancellation);
            var specProblems = ExperimentSpecValidator.Validate(spec);
            build = build with
            {
                Spec = tiny,
                Problems = [.. build.Problems.Where(p => !specProblems.Contains(p)), .. problems, .. tiny is null ? [] : ExperimentSpecValidator.Validate(tiny)],
            };
        }
        state.Submitted = true;
        state.Problems.Clear();
        state.Problems.AddRange(build.Problems);
        if (!build.CanSubmit) return null;
        var result = await submission.SubmitExperimentAsync(build.Name, build.Spec!, build.Seeds, cancellation, ownerId, project);
        if (result.Succeeded) return result.RunIds.Count == 1 ? $"/runs/{result.RunIds[0]}" : $"/runs?experiment={result.ExperimentIds[0]}";
        state.Problems.AddRange(result.Problems);
        return null;
    }
}
