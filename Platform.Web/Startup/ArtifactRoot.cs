namespace EmotionLab.Web.Startup;

/// <summary>The folder under which the platform keeps its files (configuration ArtifactRoot, default "artifacts" under the content root).</summary>
public static class ArtifactRoot
{
    public const string ConfigurationKey = "ArtifactRoot";

    public static string Resolve(IConfiguration configuration, IHostEnvironment environment) =>
        Path.GetFullPath(configuration[ConfigurationKey] is { Length: > 0 } configured ? configured : "artifacts", environment.ContentRootPath);
}
