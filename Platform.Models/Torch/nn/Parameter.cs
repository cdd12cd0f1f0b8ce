namespace EmotionLab.Models.Torch;

/// <summary>
/// A tensor owned by a module: a leaf that requires grad by default and lives outside dispose
/// scopes. It takes over the tensor it is made from (that handle is disposed; the storage is shared).
/// </summary>
public sealed class Parameter : Tensor
{
    public Parameter(Tensor data, bool requires_grad = true) : base(Adopt(data))
    {
        DetachFromDisposeScope();
        this.requires_grad = requires_grad;
    }

    private static IntPtr Adopt(Tensor data)
    {
        Native.Check(NativeMethods.elt_detach(data.HandleFor("Parameter"), out var r), "Parameter", data);
        data.Dispose();
        return r;
    }
}
