namespace EmotionLab.Models.Torch;

/// <summary>The entry point, shaped like TorchSharp's <c>torch</c>: factories, global state, scopes.</summary>
public static partial class torch
{
    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType float16 = ScalarType.Float16;
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType @bool = ScalarType.Bool;

    public static readonly Device CPU = Device.CPU;

    // ---- scopes and global state --------------------------------------------------------

    /// <summary>Frees every tensor created on this thread until it is disposed, except those moved out.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Disables autograd recording on this thread until disposed.</summary>
    public static IDisposable no_grad() => new GradModeScope(false);

    /// <summary>Re-enables autograd recording on this thread until disposed.</summary>
    public static IDisposable enable_grad() => new GradModeScope(true);

    public static bool is_grad_enabled()
    {
        Native.Check(NativeMethods.elt_grad_enabled(out var v), "is_grad_enabled");
        return v != 0;
    }

    /// <summary>Seeds libtorch's default generators (init, dropout, rand*): same seed, same numbers.</summary>
    public static void manual_seed(long seed) => Native.Check(NativeMethods.elt_manual_seed(unchecked((ulong)seed)), "manual_seed");

    public static void set_num_threads(int threads) => Native.Check(NativeMethods.elt_set_num_threads(threads), $"set_num_threads({threads})");

    public static int get_num_threads()
    {
        Native.Check(NativeMethods.elt_get_num_threads(out var n), "get_num_threads");
        return n;
    }

    /// <summary>
    /// Mixed precision on this thread until disposed, as torch.autocast: matmuls, linear layers and
    /// convolutions run in <paramref name="dtype"/> (bfloat16 by default) from float32 weights, which
    /// stay the master copy the optimizer updates; ops autocast keeps in float32 (losses among them)
    /// stay there.
    /// </summary>
    public static IDisposable autocast(ScalarType dtype = ScalarType.BFloat16, DeviceType device = DeviceType.CPU)
    {
        var type = device == DeviceType.CUDA ? 1 : 0;
        Native.Check(NativeMethods.elt_autocast_enter(type, (int)dtype, out var enabled, out var previous), $"autocast({dtype.Name()}, {device})");
        return new Restore(() => Native.Check(NativeMethods.elt_autocast_leave(type, enabled, previous), "autocast exit"));
    }

    public static class cuda
    {
        public static int device_count()
        {
            Native.Check(NativeMethods.elt_cuda_device_count(out var n), "cuda.device_count");
            return n;
        }

        public static bool is_available() => device_count() > 0;
    }

    private sealed class GradModeScope : IDisposable
    {
        private readonly bool previous;
        private bool disposed;

        public GradModeScope(bool enabled)
        {
            previous = is_grad_enabled();
            Native.Check(NativeMethods.elt_set_grad_enabled(enabled ? 1 : 0), "set_grad_enabled");
        }

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            Native.Check(NativeMethods.elt_set_grad_enabled(previous ? 1 : 0), "set_grad_enabled");
        }
    }

    // ---- creation -----------------------------------------------------------------------

    /// <summary>A tensor holding a copy of the values, in the given shape (default: 1-D).</summary>
    public static unsafe Tensor tensor<T>(T[] values, long[]? shape = null, Device? device = null, bool requires_grad = false) where T : unmanaged
    {
        var dtype = DTypeOf<T>();
        shape ??= [values.Length];
        IntPtr r;
        var target = device ?? Device.CPU;
        fixed (T* data = values)
        fixed (long* s = shape)
            Native.Check(NativeMethods.elt_from_blob(data, (long)values.Length * sizeof(T), s, shape.Length, (int)dtype, (int)target.Type, Math.Max(target.Index, 0), out r),
                $"tensor({typeof(T).Name}[{values.Length}] as [{string.Join(", ", shape)}])");
        var result = new Tensor(r);
        if (requires_grad) result.requires_grad = true;
        return result;
    }

    public static Tensor tensor(float value) => tensor([value], []);

    /// <summary>A tensor from raw little-endian element bytes (the safetensors layout).</summary>
    public static unsafe Tensor from_bytes(ReadOnlySpan<byte> bytes, ScalarType dtype, long[] shape, Device? device = null)
    {
        IntPtr r;
        var target = device ?? Device.CPU;
        fixed (byte* data = bytes)
        fixed (long* s = shape)
            Native.Check(NativeMethods.elt_from_blob(data, bytes.Length, s, shape.Length, (int)dtype, (int)target.Type, Math.Max(target.Index, 0), out r),
                $"from_bytes({bytes.Length} bytes as [{string.Join(", ", shape)}] {dtype.Name()})");
        return new Tensor(r);
    }

    [ThreadStatic] private static Device? defaultDevice;

    /// <summary>
    /// Factories (empty, zeros, ones, full, rand, randn) given no device create on this one until
    /// disposed, as PyTorch's `with torch.device(...)`: a model built under Device.Meta allocates nothing.
    /// </summary>
    public static IDisposable default_device(Device device)
    {
        var previous = defaultDevice;
        defaultDevice = device;
        return new Restore(() => defaultDevice = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    private static unsafe Tensor Factory(FactoryKind kind, long[] shape, ScalarType dtype, Device? device, double value, bool requires_grad)
    {
        IntPtr r;
        var target = device ?? defaultDevice ?? Device.CPU;
        fixed (long* s = shape)
            Native.Check(NativeMethods.elt_factory((int)kind, s, shape.Length, (int)dtype, (int)target.Type, Math.Max(target.Index, 0), value, out r),
                $"{kind.ToString().ToLowerInvariant()}([{string.Join(", ", shape)}], {dtype.Name()}, {target})");
        var result = new Tensor(r);
        if (requires_grad) result.requires_grad = true;
        return result;
    }

    public static Tensor empty(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false) => Factory(FactoryKind.Empty, shape, dtype, device, 0, requires_grad);
    public static Tensor zeros(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false) => Factory(FactoryKind.Zeros, shape, dtype, device, 0, requires_grad);
    public static Tensor ones(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false) => Factory(FactoryKind.Ones, shape, dtype, device, 0, requires_grad);
    public static Tensor full(long[] shape, double value, ScalarType dtype = float32, Device? device = null) => Factory(FactoryKind.Full, shape, dtype, device, value, false);
    public static Tensor rand(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false) => Factory(FactoryKind.Rand, shape, dtype, device, 0, requires_grad);
    public static Tensor randn(long[] shape, ScalarType dtype = float32, Device? device = null, bool requires_grad = false) => Factory(FactoryKind.Randn, shape, dtype, device, 0, requires_grad);
    public static Tensor zeros_like(Tensor t) => zeros(t.shape, t.dtype, t.device);
    public static Tensor ones_like(Tensor t) => ones(t.shape, t.dtype, t.device);

    public static Tensor arange(double start, double end, double step = 1, ScalarType dtype = int64, Device? device = null)
    {
        var target = device ?? Device.CPU;
        Native.Check(NativeMethods.elt_arange(start, end, step, (int)dtype, (int)target.Type, Math.Max(target.Index, 0), out var r), $"arange({start}, {end}, {step})");
        return new Tensor(r);
    }

    public static Tensor arange(long end, ScalarType dtype = int64, Device? device = null) => arange(0, end, 1, dtype, device);

    public static unsafe Tensor randint(long low, long high, long[] shape, Device? device = null)
    {
        IntPtr r;
        var target = device ?? Device.CPU;
        fixed (long* s = shape)
            Native.Check(NativeMethods.elt_randint(low, high, s, shape.Length, (int)target.Type, Math.Max(target.Index, 0), out r), $"randint({low}, {high})");
        return new Tensor(r);
    }

    /// <summary>A random permutation of 0..n-1 from the seeded generator (data order).</summary>
    public static Tensor randperm(long n)
    {
        Native.Check(NativeMethods.elt_randperm(n, out var r), $"randperm({n})");
        return new Tensor(r);
    }

    public static ScalarType DTypeOf<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? float32 :
        typeof(T) == typeof(double) ? float64 :
        typeof(T) == typeof(long) ? int64 :
        typeof(T) == typeof(int) ? int32 :
        typeof(T) == typeof(bool) ? @bool :
        typeof(T) == typeof(Half) ? float16 :
        typeof(T) == typeof(byte) ? ScalarType.Byte :
        throw new TorchException($"tensor: no element type for {typeof(T).Name}");

    // ---- joining and choosing -----------------------------------------------------------

    private static unsafe Tensor Join(IReadOnlyList<Tensor> tensors, long dim, bool stack, string name)
    {
        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++) handles[i] = tensors[i].HandleFor(name);
        IntPtr r;
        fixed (IntPtr* p = handles)
            Native.Check(NativeMethods.elt_cat(p, handles.Length, dim, stack ? 1 : 0, out r), $"{name}(dim={dim})", [.. tensors]);
        return new Tensor(r);
    }

    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, false, "cat");
    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, true, "stack");

    public static Tensor where(Tensor condition, Tensor x, Tensor y)
    {
        Native.Check(NativeMethods.elt_where(condition.HandleFor("where"), x.HandleFor("where"), y.HandleFor("where"), out var r), "where", condition, x, y);
        return new Tensor(r);
    }

    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);

    public static Tensor tril(Tensor t, long diagonal = 0)
    {
        Native.Check(NativeMethods.elt_tril(t.HandleFor("tril"), diagonal, 0, out var r), "tril", t);
        return new Tensor(r);
    }

    public static Tensor triu(Tensor t, long diagonal = 0)
    {
        Native.Check(NativeMethods.elt_tril(t.HandleFor("triu"), diagonal, 1, out var r), "triu", t);
        return new Tensor(r);
    }
}
