using Microsoft.AspNetCore.Components;

namespace EmotionLab.Web.Live;

/// <summary>
/// A page part that shows what LabChanges reports as it changes. It subscribes once interactive
/// (not while prerendering), refreshes when a change concerns it, and folds changes that arrive
/// during a refresh into one more refresh. A change published between its first read and its
/// subscription would be lost, so it refreshes once more when one was. Reads take a service scope each: a circuit's scoped
/// DbContext would otherwise be shared by every component refreshing at once.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    [Inject] private LabChanges Changes { get; set; } = default!;
    [Inject] private IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] private ILogger<LiveComponent> Log { get; set; } = default!;

    private IDisposable? subscription;
    private long? publishedBeforeFirstRead;
    private int refreshing; // 0 idle, 1 refreshing, 2 refreshing with another change waiting

    /// <summary>Whether the change touches what this component shows.</summary>
    protected abstract bool Concerns(LabChange change);

    /// <summary>Reads what the component shows again; it is re-rendered afterwards.</summary>
    protected abstract Task RefreshAsync();

    protected async Task<T> ReadAsync<TService, T>(Func<TService, Task<T>> read) where TService : notnull
    {
        await using var scope = Scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public override Task SetParametersAsync(ParameterView parameters)
    {
        publishedBeforeFirstRead ??= Changes.Published;
        return base.SetParametersAsync(parameters);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        subscription = Changes.Subscribe(OnChange);
        if (Changes.Published != publishedBeforeFirstRead) StartRefresh();
    }

    private void OnChange(LabChange change)
    {
        if (Concerns(change)) StartRefresh();
    }

    private void StartRefresh()
    {
        if (Interlocked.Increment(ref refreshing) > 1)
        {
            Interlocked.Exchange(ref refreshing, 2);
            return;
        }
        _ = InvokeAsync(RefreshUntilSettledAsync);
    }

    private async Task RefreshUntilSettledAsync()
    {
        var failed = false;
        do
        {
            Interlocked.Exchange(ref refreshing, 1);
            try
            {
                await RefreshAsync();
                StateHasChanged();
                failed = false;
            }
            catch (Exception e)
            {
                // The page keeps what it shows and tries again shortly: the change it missed may be the last one.
                Log.LogWarning(e, "{Component} could not refresh", GetType().Name);
                failed = true;
            }
        }
        while (Interlocked.CompareExchange(ref refreshing, 0, 1) != 1);
        if (failed) _ = RetryAfterFailureAsync();
    }

    private async Task RetryAfterFailureAsync()
    {
        await Task.Delay(RetryAfterFailure);
        if (!disposed) StartRefresh();
    }

    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(2);
    private volatile bool disposed;

    public virtual void Dispose()
    {
        disposed = true;
        subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
