namespace EmotionLab.Models.Features;

/// <summary>
/// An exclusive lock on a folder shared by processes (trainers of one node, or nodes sharing the
/// artifact mount): a lock file opened with no sharing, held until disposed. Trainers that start
/// together on a fresh corpus take turns extracting its audio (or a frozen encoder's features)
/// instead of writing the same files.
/// </summary>
public sealed class FolderLock : IDisposable
{
    private readonly FileStream file;

    private FolderLock(FileStream file) => this.file = file;

    public static async Task<FolderLock> AcquireAsync(string folder, TimeSpan timeout, CancellationToken cancellation = default)
    {
        var path = Path.TrimEndingDirectorySeparator(folder) + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellation);
            }
            catch (IOException e)
            {
                throw new TimeoutException($"{folder} stayed locked by another process for {timeout.TotalMinutes:0} min ({path}); if no import or trainer is running, delete the lock file", e);
            }
        }
    }

    public void Dispose() => file.Dispose();
}
