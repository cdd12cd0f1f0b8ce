using System.Text;

namespace EmotionLab.Models.Torch;

/// <summary>
/// A handle to a libtorch tensor. Disposing frees the native tensor at once; tensors made
/// inside a <see cref="DisposeScope"/> are freed with it. Ops live in Tensor.Ops.cs.
/// </summary>
public partial class Tensor : IDisposable
{
    private IntPtr handle;

    internal Tensor(IntPtr handle)
    {
        if (handle == IntPtr.Zero) throw new TorchException("internal: a native call returned no tensor");
        this.handle = handle;
        DisposeScope.Current?.Attach(this);
    }

    ~Tensor() => Free();

    internal DisposeScope? Scope { get; set; }

    public bool IsDisposed => handle == IntPtr.Zero;

    /// <summary>The native handle for an op, or a TorchException naming the op if this tensor was disposed.</summary>
    internal IntPtr HandleFor(string op) =>
        handle != IntPtr.Zero ? handle : throw new TorchException($"{op}: the tensor was disposed and cannot be used");

    internal static IntPtr HandleOrNull(Tensor? t, string op) => t is null ? IntPtr.Zero : t.HandleFor(op);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) NativeMethods.elt_free(h);
    }

    /// <summary>Keeps this tensor alive past the current scope: it moves to the enclosing scope, or to none.</summary>
    public Tensor MoveToOuterDisposeScope()
    {
        var outer = Scope?.Outer;
        Scope = null;
        outer?.Attach(this);
        return this;
    }

    /// <summary>Takes this tensor out of every scope: the caller disposes it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope = null;
        return this;
    }

    // ---- properties ---------------------------------------------------------------------

    public unsafe long[] shape
    {
        get
        {
            var h = HandleFor("shape");
            NativeMethods.elt_dim(h, out var dim);
            var result = new long[dim];
            fixed (long* p = result) Native.Check(NativeMethods.elt_shape(h, p), "shape");
            return result;
        }
    }

    public long dim() { Native.Check(NativeMethods.elt_dim(HandleFor("dim"), out var d), "dim"); return d; }

    public long size(int dimension)
    {
        var s = shape;
        var d = dimension < 0 ? dimension + s.Length : dimension;
        if (d < 0 || d >= s.Length) throw new TorchException($"size({dimension}): tensor of shape [{string.Join(", ", s)}] has {s.Length} dimensions");
        return s[d];
    }

    public long numel() => shape.Aggregate(1L, (a, b) => a * b);

    public ScalarType dtype
    {
        get { Native.Check(NativeMethods.elt_dtype(HandleFor("dtype"), out var t), "dtype"); return (ScalarType)t; }
    }

    public Device device
    {
        get
        {
            Native.Check(NativeMethods.elt_device(HandleFor("device"), out var type, out var index), "device");
            return new Device((DeviceType)type, index);
        }
    }

    public bool requires_grad
    {
        get { Native.Check(NativeMethods.elt_requires_grad(HandleFor("requires_grad"), out var v), "requires_grad", this); return v != 0; }
        set => Native.Check(NativeMethods.elt_set_requires_grad(HandleFor("requires_grad_"), value ? 1 : 0), "requires_grad_", this);
    }

    public Tensor requires_grad_(bool value = true) { requires_grad = value; return this; }

    public bool is_contiguous()
    {
        Native.Check(NativeMethods.elt_is_contiguous(HandleFor("is_contiguous"), out var v), "is_contiguous", this);
        return v != 0;
    }

    /// <summary>"[2, 3] float32" (or "disposed"), for error messages.</summary>
    internal string Describe() =>
        IsDisposed ? "disposed tensor" : $"[{string.Join(", ", shape)}] {dtype.Name()}{(device.Type == DeviceType.CPU ? "" : " " + device)}";

    // ---- data ---------------------------------------------------------------------------

    /// <summary>The elements in row-major order; T must match the dtype (float for float32, long for int64, ...).</summary>
    public unsafe T[] data<T>() where T : unmanaged
    {
        var type = dtype;
        if (sizeof(T) != type.ElementSize() || !ElementTypeMatches<T>(type))
            throw new TorchException($"data<{typeof(T).Name}>({Describe()}): element type does not match; convert with to(dtype) first");
        var result = new T[numel()];
        fixed (T* p = result)
            Native.Check(NativeMethods.elt_copy_to_host(HandleFor("data"), p, (long)result.Length * sizeof(T)), "data", this);
        return result;
    }

    /// <summary>The raw little-endian bytes of the elements (what safetensors stores).</summary>
    public unsafe byte[] bytes()
    {
        var result = new byte[numel() * dtype.ElementSize()];
        fixed (byte* p = result)
            Native.Check(NativeMethods.elt_copy_to_host(HandleFor("bytes"), p, result.Length), "bytes", this);
        return result;
    }

    public double item()
    {
        Native.Check(NativeMethods.elt_item(HandleFor("item"), out var v), "item", this);
        return v;
    }

    public T item<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(long)) { Native.Check(NativeMethods.elt_item_long(HandleFor("item"), out var l), "item", this); return (T)(object)l; }
        var v = item();
        if (typeof(T) == typeof(float)) return (T)(object)(float)v;
        if (typeof(T) == typeof(double)) return (T)(object)v;
        if (typeof(T) == typeof(int)) return (T)(object)(int)v;
        if (typeof(T) == typeof(bool)) return (T)(object)(v != 0);
        throw new TorchException($"item<{typeof(T).Name}>: unsupported element type");
    }

    private static bool ElementTypeMatches<T>(ScalarType type) => type switch
    {
        ScalarType.Float32 => typeof(T) == typeof(float),
        ScalarType.Float64 => typeof(T) == typeof(double),
        ScalarType.Float16 => typeof(T) == typeof(Half),
        ScalarType.BFloat16 => typeof(T) == typeof(ushort),
        ScalarType.Int64 => typeof(T) == typeof(long),
        ScalarType.Int32 => typeof(T) == typeof(int),
        ScalarType.Int16 => typeof(T) == typeof(short),
        ScalarType.Int8 => typeof(T) == typeof(sbyte),
        ScalarType.Byte => typeof(T) == typeof(byte),
        ScalarType.Bool => typeof(T) == typeof(bool),
        _ => false,
    };

    public Tensor to(ScalarType type) => to(type, device);

    public Tensor to(Device target) => to(dtype, target);

    public Tensor to(ScalarType type, Device target)
    {
        Native.Check(NativeMethods.elt_to(HandleFor("to"), (int)type, (int)target.Type, Math.Max(target.Index, 0), out var r), $"to({type.Name()}, {target})", this);
        return new Tensor(r);
    }

    public Tensor cpu() => to(Device.CPU);

    public Tensor cuda(int index = 0) => to(Device.CUDA(index));

    public unsafe override string ToString()
    {
        if (IsDisposed) return "tensor(disposed)";
        var h = handle;
        Native.Check(NativeMethods.elt_to_string(h, null, 0, out var needed), "to_string", this);
        var buffer = new byte[needed];
        fixed (byte* p = buffer) Native.Check(NativeMethods.elt_to_string(h, p, needed, out _), "to_string", this);
        return Encoding.UTF8.GetString(buffer, 0, (int)needed - 1);
    }

    // ---- autograd -----------------------------------------------------------------------

    public void backward(Tensor? gradient = null, bool retain_graph = false) =>
        Native.Check(NativeMethods.elt_backward(HandleFor("backward"), HandleOrNull(gradient, "backward"), retain_graph ? 1 : 0), "backward", this, gradient);

    /// <summary>The accumulated gradient (a new handle to it), or null before any backward.</summary>
    public Tensor? grad
    {
        get
        {
            Native.Check(NativeMethods.elt_grad(HandleFor("grad"), out var g), "grad", this);
            return g == IntPtr.Zero ? null : new Tensor(g);
        }
    }

    /// <summary>Drops the gradient (PyTorch's zero_grad(set_to_none=True)).</summary>
    public void zero_grad() => Native.Check(NativeMethods.elt_zero_grad(HandleFor("zero_grad")), "zero_grad", this);

    public Tensor detach() => Wrap(NativeMethods.elt_detach(HandleFor("detach"), out var r), r, "detach");

    public Tensor clone() => Wrap(NativeMethods.elt_clone(HandleFor("clone"), out var r), r, "clone");

    public Tensor contiguous() => Wrap(NativeMethods.elt_contiguous(HandleFor("contiguous"), out var r), r, "contiguous");

    /// <summary>Points this tensor at another's data (keeps the handle; used to move parameters).</summary>
    internal void set_data(Tensor data) =>
        Native.Check(NativeMethods.elt_set_data(HandleFor("set_data"), data.HandleFor("set_data")), "set_data", this, data);

    /// <summary>Makes this handle refer to <paramref name="data"/> (any device, meta included), keeping requires_grad.</summary>
    internal void replace(Tensor data) =>
        Native.Check(NativeMethods.elt_replace(HandleFor("replace"), data.HandleFor("replace")), "replace", this, data);

    private Tensor Wrap(int status, IntPtr result, string op)
    {
        Native.Check(status, op, this);
        return new Tensor(result);
    }
}
