namespace EmotionLab.Data.Tests;

/// <summary>&lt;repository&gt;/artifacts/NAME (gitignored): what the tests leave for a person to look at, such as screenshots and figures.</summary>
public static class ArtifactFolder
{
    public static string Of(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EmotionLab.sln"))) dir = dir.Parent;
        var folder = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", name);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
