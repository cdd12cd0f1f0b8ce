namespace EmotionLab.Models.Torch;

/// <summary>
/// Owns every tensor created on this thread while it is the innermost open scope, and frees
/// them when disposed, except those moved out with <see cref="Tensor.MoveToOuterDisposeScope"/>
/// or <see cref="Tensor.DetachFromDisposeScope"/>. Training loops open one per step.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly List<Tensor> owned = [];
    private bool disposed;

    internal DisposeScope()
    {
        Outer = current;
        current = this;
    }

    internal static DisposeScope? Current => current;

    internal DisposeScope? Outer { get; }

    /// <summary>Tensors this scope will free.</summary>
    public int Count => owned.Count(t => t.Scope == this && !t.IsDisposed);

    internal void Attach(Tensor tensor)
    {
        tensor.Scope = this;
        owned.Add(tensor);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var tensor in owned)
            if (tensor.Scope == this) tensor.Dispose();
        owned.Clear();
        if (current == this) current = Outer;
    }
}
