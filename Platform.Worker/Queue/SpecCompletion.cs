using EmotionLab.Models.Experiments;
using EmotionLab.Worker.Pretrained;

namespace EmotionLab.Worker.Queue;

/// <summary>
/// What `submit` and POST /api/experiments|grids do to a spec before it is queued: tiny model
/// folders first (--tiny-models), then the settings (--set, which validate the spec). In that order
/// because a setting may still name a model folder of its own, and a spec waiting for its tiny
/// folders must not be refused for lacking them.
/// </summary>
public static class SpecCompletion
{
    /// <summary>The option whose problems came back: tinyModels or set, as the API names them.</summary>
    public const string TinyModels = "tinyModels";
    public const string Settings = "set";

    /// <returns>the completed spec, or null with the option that failed and its problems</returns>
    public static async Task<(ExperimentSpec? Spec, string? Option, IReadOnlyList<SpecProblem> Problems)> CompleteAsync(ExperimentSpec spec,
        IReadOnlyList<string> settings, bool tinyModels, string artifactRoot, string connectionString, CancellationToken cancellation)
    {
        if (tinyModels)
        {
            var (tiny, tinyProblems) = await TinyModelFolders.ApplyAsync(spec, artifactRoot, connectionString, cancellation);
            if (tiny is null) return (null, TinyModels, tinyProblems);
            spec = tiny;
        }
        var (result, problems) = SpecSettings.Apply(spec, settings);
        return result is null ? (null, Settings, problems) : (result, null, []);
    }

    /// <summary>The command-line option an API option name stands for, as `submit` prints its problems: --set, --tiny-models.</summary>
    public static string CommandLineOption(string option) => option switch
    {
        TinyModels => "--tiny-models",
        Settings => "--set",
        _ => option,
    };
}
