namespace EmotionLab.Models.Torch;

/// <summary>Tensor methods and operators, named as in PyTorch/TorchSharp.</summary>
public partial class Tensor
{
    private Tensor Unary(UnaryOp op, string name)
    {
        Native.Check(NativeMethods.elt_unary((int)op, HandleFor(name), out var r), name, this);
        return new Tensor(r);
    }

    private Tensor Binary(BinaryOp op, Tensor other, string name)
    {
        Native.Check(NativeMethods.elt_binary((int)op, HandleFor(name), other.HandleFor(name), out var r), name, this, other);
        return new Tensor(r);
    }

    private Tensor Scalar(ScalarOp op, double value, string name)
    {
        Native.Check(NativeMethods.elt_binary_scalar((int)op, HandleFor(name), value, out var r), name, this);
        return new Tensor(r);
    }

    internal void InPlace(InPlaceOp op, Tensor? other, double value, string name) =>
        Native.Check(NativeMethods.elt_inplace((int)op, HandleFor(name), HandleOrNull(other, name), value), name, this, other);

    // ---- elementwise --------------------------------------------------------------------

    public Tensor neg() => Unary(UnaryOp.Neg, "neg");
    public Tensor exp() => Unary(UnaryOp.Exp, "exp");
    public Tensor log() => Unary(UnaryOp.Log, "log");
    public Tensor sqrt() => Unary(UnaryOp.Sqrt, "sqrt");
    public Tensor rsqrt() => Unary(UnaryOp.Rsqrt, "rsqrt");
    public Tensor abs() => Unary(UnaryOp.Abs, "abs");
    public Tensor square() => Unary(UnaryOp.Square, "square");
    public Tensor relu() => Unary(UnaryOp.Relu, "relu");
    public Tensor gelu(bool tanhApproximation = false) => Unary(tanhApproximation ? UnaryOp.GeluTanh : UnaryOp.Gelu, "gelu");
    public Tensor silu() => Unary(UnaryOp.Silu, "silu");
    public Tensor tanh() => Unary(UnaryOp.Tanh, "tanh");
    public Tensor sigmoid() => Unary(UnaryOp.Sigmoid, "sigmoid");
    public Tensor logical_not() => Unary(UnaryOp.LogicalNot, "logical_not");
    public Tensor isnan() => Unary(UnaryOp.IsNan, "isnan");
    public Tensor cos() => Unary(UnaryOp.Cos, "cos");
    public Tensor sin() => Unary(UnaryOp.Sin, "sin");

    public Tensor add(Tensor other) => Binary(BinaryOp.Add, other, "add");
    public Tensor sub(Tensor other) => Binary(BinaryOp.Sub, other, "sub");
    public Tensor mul(Tensor other) => Binary(BinaryOp.Mul, other, "mul");
    public Tensor div(Tensor other) => Binary(BinaryOp.Div, other, "div");
    public Tensor pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent, "pow");
    public Tensor add(double value) => Scalar(ScalarOp.Add, value, "add");
    public Tensor sub(double value) => Scalar(ScalarOp.Sub, value, "sub");
    public Tensor mul(double value) => Scalar(ScalarOp.Mul, value, "mul");
    public Tensor div(double value) => Scalar(ScalarOp.Div, value, "div");
    public Tensor pow(double exponent) => Scalar(ScalarOp.Pow, exponent, "pow");
    public Tensor maximum(Tensor other) => Binary(BinaryOp.Maximum, other, "maximum");
    public Tensor minimum(Tensor other) => Binary(BinaryOp.Minimum, other, "minimum");

    public Tensor matmul(Tensor other) => Binary(BinaryOp.Matmul, other, "matmul");
    public Tensor mm(Tensor other) => Binary(BinaryOp.Mm, other, "mm");
    public Tensor bmm(Tensor other) => Binary(BinaryOp.Bmm, other, "bmm");

    public Tensor eq(Tensor other) => Binary(BinaryOp.Eq, other, "eq");
    public Tensor ne(Tensor other) => Binary(BinaryOp.Ne, other, "ne");
    public Tensor lt(Tensor other) => Binary(BinaryOp.Lt, other, "lt");
    public Tensor le(Tensor other) => Binary(BinaryOp.Le, other, "le");
    public Tensor gt(Tensor other) => Binary(BinaryOp.Gt, other, "gt");
    public Tensor ge(Tensor other) => Binary(BinaryOp.Ge, other, "ge");
    public Tensor eq(double value) => Scalar(ScalarOp.Eq, value, "eq");
    public Tensor ne(double value) => Scalar(ScalarOp.Ne, value, "ne");
    public Tensor lt(double value) => Scalar(ScalarOp.Lt, value, "lt");
    public Tensor le(double value) => Scalar(ScalarOp.Le, value, "le");
    public Tensor gt(double value) => Scalar(ScalarOp.Gt, value, "gt");
    public Tensor ge(double value) => Scalar(ScalarOp.Ge, value, "ge");
    public Tensor logical_and(Tensor other) => Binary(BinaryOp.LogicalAnd, other, "logical_and");
    public Tensor logical_or(Tensor other) => Binary(BinaryOp.LogicalOr, other, "logical_or");

    public Tensor clamp(double? min = null, double? max = null)
    {
        Native.Check(NativeMethods.elt_clamp(HandleFor("clamp"), min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0, out var r), "clamp", this);
        return new Tensor(r);
    }

    public Tensor masked_fill(Tensor mask, double value)
    {
        Native.Check(NativeMethods.elt_masked_fill(HandleFor("masked_fill"), mask.HandleFor("masked_fill"), value, out var r), "masked_fill", this, mask);
        return new Tensor(r);
    }

    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    public static Tensor operator +(Tensor a, double b) => a.add(b);
    public static Tensor operator -(Tensor a, double b) => a.sub(b);
    public static Tensor operator *(Tensor a, double b) => a.mul(b);
    public static Tensor operator /(Tensor a, double b) => a.div(b);
    public static Tensor operator +(double a, Tensor b) => b.add(a);
    public static Tensor operator -(double a, Tensor b) => b.Scalar(ScalarOp.ReverseSub, a, "rsub");
    public static Tensor operator *(double a, Tensor b) => b.mul(a);
    public static Tensor operator /(double a, Tensor b) => b.Scalar(ScalarOp.ReverseDiv, a, "rdiv");
    public static Tensor operator -(Tensor a) => a.neg();

    // ---- in place (for optimizers and initialisation; call under no_grad on parameters) ---

    public Tensor add_(Tensor other, double alpha = 1) { InPlace(InPlaceOp.AddScaled, other, alpha, "add_"); return this; }
    public Tensor mul_(Tensor other) { InPlace(InPlaceOp.MulTensor, other, 0, "mul_"); return this; }
    public Tensor mul_(double value) { InPlace(InPlaceOp.MulScalar, null, value, "mul_"); return this; }
    public Tensor add_(double value) { InPlace(InPlaceOp.AddScalar, null, value, "add_"); return this; }
    public Tensor copy_(Tensor source) { InPlace(InPlaceOp.Copy, source, 0, "copy_"); return this; }
    public Tensor fill_(double value) { InPlace(InPlaceOp.Fill, null, value, "fill_"); return this; }
    public Tensor zero_() { InPlace(InPlaceOp.Zero, null, 0, "zero_"); return this; }

    // ---- reductions ---------------------------------------------------------------------

    private unsafe Tensor Reduce(ReduceOp op, long[] dims, bool keepdim, string name)
    {
        IntPtr r;
        fixed (long* d = dims)
            Native.Check(NativeMethods.elt_reduce((int)op, HandleFor(name), d, dims.Length, keepdim ? 1 : 0, out r), $"{name}(dim=[{string.Join(", ", dims)}])", this);
        return new Tensor(r);
    }

    public Tensor sum() => Reduce(ReduceOp.Sum, [], false, "sum");
    public Tensor sum(long dim, bool keepdim = false) => Reduce(ReduceOp.Sum, [dim], keepdim, "sum");
    public Tensor sum(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Sum, dims, keepdim, "sum");
    public Tensor mean() => Reduce(ReduceOp.Mean, [], false, "mean");
    public Tensor mean(long dim, bool keepdim = false) => Reduce(ReduceOp.Mean, [dim], keepdim, "mean");
    public Tensor mean(long[] dims, bool keepdim = false) => Reduce(ReduceOp.Mean, dims, keepdim, "mean");
    public Tensor var(long dim, bool keepdim = false) => Reduce(ReduceOp.Var, [dim], keepdim, "var");
    public Tensor std(long dim, bool keepdim = false) => Reduce(ReduceOp.Std, [dim], keepdim, "std");
    public Tensor max() => Reduce(ReduceOp.Max, [], false, "max");
    public Tensor min() => Reduce(ReduceOp.Min, [], false, "min");
    public Tensor min(long dim, bool keepdim = false) => Reduce(ReduceOp.Min, [dim], keepdim, "min");
    public Tensor argmax() => Reduce(ReduceOp.ArgMax, [], false, "argmax");
    public Tensor argmax(long dim, bool keepdim = false) => Reduce(ReduceOp.ArgMax, [dim], keepdim, "argmax");
    public Tensor argmin(long dim, bool keepdim = false) => Reduce(ReduceOp.ArgMin, [dim], keepdim, "argmin");

    /// <summary>Maximum along a dimension: values and their indices.</summary>
    public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
    {
        Native.Check(NativeMethods.elt_max_dim(HandleFor("max"), dim, keepdim ? 1 : 0, out var v, out var i), $"max(dim={dim})", this);
        return (new Tensor(v), new Tensor(i));
    }

    public Tensor cumsum(long dim)
    {
        Native.Check(NativeMethods.elt_cumsum(HandleFor("cumsum"), dim, out var r), $"cumsum(dim={dim})", this);
        return new Tensor(r);
    }

    public Tensor softmax(long dim)
    {
        Native.Check(NativeMethods.elt_softmax(HandleFor("softmax"), dim, 0, out var r), $"softmax(dim={dim})", this);
        return new Tensor(r);
    }

    public Tensor log_softmax(long dim)
    {
        Native.Check(NativeMethods.elt_softmax(HandleFor("log_softmax"), dim, 1, out var r), $"log_softmax(dim={dim})", this);
        return new Tensor(r);
    }

    // ---- shape --------------------------------------------------------------------------

    private unsafe Tensor Shape(ShapeOp op, long[] values, string name)
    {
        IntPtr r;
        fixed (long* p = values)
            Native.Check(NativeMethods.elt_reshape((int)op, HandleFor(name), p, values.Length, out r), $"{name}([{string.Join(", ", values)}])", this);
        return new Tensor(r);
    }

    public Tensor reshape(params long[] shape) => Shape(ShapeOp.Reshape, shape, "reshape");
    public Tensor view(params long[] shape) => Shape(ShapeOp.View, shape, "view");
    public Tensor permute(params long[] dims) => Shape(ShapeOp.Permute, dims, "permute");
    public Tensor expand(params long[] shape) => Shape(ShapeOp.Expand, shape, "expand");

    public Tensor transpose(long dim0, long dim1)
    {
        Native.Check(NativeMethods.elt_transpose(HandleFor("transpose"), dim0, dim1, out var r), $"transpose({dim0}, {dim1})", this);
        return new Tensor(r);
    }

    /// <summary>The matrix transpose of the last two dimensions.</summary>
    public Tensor mT => transpose(-2, -1);

    public Tensor unsqueeze(long dim)
    {
        Native.Check(NativeMethods.elt_unsqueeze(HandleFor("unsqueeze"), dim, out var r), $"unsqueeze({dim})", this);
        return new Tensor(r);
    }

    public Tensor squeeze(long? dim = null)
    {
        Native.Check(NativeMethods.elt_squeeze(HandleFor("squeeze"), dim ?? 0, dim.HasValue ? 0 : 1, out var r), $"squeeze({dim})", this);
        return new Tensor(r);
    }

    public Tensor flatten(long start_dim = 0, long end_dim = -1)
    {
        Native.Check(NativeMethods.elt_flatten(HandleFor("flatten"), start_dim, end_dim, out var r), $"flatten({start_dim}, {end_dim})", this);
        return new Tensor(r);
    }

    private unsafe Tensor[] Split(long amount, long dim, bool chunk, string name)
    {
        var length = size(checked((int)dim));
        var capacity = (int)Math.Max(1, chunk ? amount : (length + amount - 1) / Math.Max(amount, 1));
        var outs = new IntPtr[capacity];
        int count;
        fixed (IntPtr* p = outs)
            Native.Check(NativeMethods.elt_split(HandleFor(name), amount, dim, chunk ? 1 : 0, p, capacity, out count), $"{name}({amount}, dim={dim})", this);
        var result = new Tensor[count];
        for (var i = 0; i < count; i++) result[i] = new Tensor(outs[i]);
        return result;
    }

    public Tensor[] split(long split_size, long dim = 0) => Split(split_size, dim, false, "split");
    public Tensor[] chunk(long chunks, long dim = 0) => Split(chunks, dim, true, "chunk");

    // ---- indexing -----------------------------------------------------------------------

    public Tensor select(long dim, long index)
    {
        Native.Check(NativeMethods.elt_select(HandleFor("select"), dim, index, out var r), $"select(dim={dim}, index={index})", this);
        return new Tensor(r);
    }

    /// <summary>Elements start..end (exclusive) with a step along a dimension; a view.</summary>
    public Tensor slice(long dim, long start, long end, long step = 1)
    {
        Native.Check(NativeMethods.elt_slice(HandleFor("slice"), dim, start, end, step, out var r), $"slice(dim={dim}, {start}:{end}:{step})", this);
        return new Tensor(r);
    }

    public Tensor narrow(long dim, long start, long length) => slice(dim, start, start + length);

    public Tensor index_select(long dim, Tensor index)
    {
        Native.Check(NativeMethods.elt_index_select(HandleFor("index_select"), dim, index.HandleFor("index_select"), out var r), $"index_select(dim={dim})", this, index);
        return new Tensor(r);
    }

    public Tensor gather(long dim, Tensor index)
    {
        Native.Check(NativeMethods.elt_gather(HandleFor("gather"), dim, index.HandleFor("gather"), out var r), $"gather(dim={dim})", this, index);
        return new Tensor(r);
    }

    /// <summary>x[i]: selects along the first dimension.</summary>
    public Tensor this[long index] => select(0, index);

    /// <summary>x[mask] for a bool mask, x[indices] for an int64 tensor (along the first dimension).</summary>
    public Tensor this[Tensor index]
    {
        get
        {
            Native.Check(NativeMethods.elt_index(HandleFor("index"), index.HandleFor("index"), out var r), "index", this, index);
            return new Tensor(r);
        }
    }

    /// <summary>x[a, b, ...] with integers and ranges, e.g. x[TensorIndex.Slice(0, 2), 1].</summary>
    public Tensor this[params TensorIndex[] indices]
    {
        get
        {
            var result = this;
            long dim = 0;
            foreach (var index in indices)
            {
                var next = index.IsSingle ? result.select(dim, index.Start) : result.slice(dim, index.Start, index.Stop, index.Step);
                if (!index.IsSingle) dim++;
                if (!ReferenceEquals(result, this)) result.Dispose();
                result = next;
            }
            return ReferenceEquals(result, this) ? alias() : result;
        }
    }

    /// <summary>A new handle to the same tensor (shares storage and autograd history).</summary>
    public Tensor alias() => view(shape);
}

/// <summary>One position of a multi-dimensional index: a single element or a start:stop:step range.</summary>
public readonly record struct TensorIndex(long Start, long Stop, long Step, bool IsSingle)
{
    public static TensorIndex Single(long index) => new(index, index + 1, 1, true);
    public static TensorIndex Slice(long? start = null, long? stop = null, long step = 1) => new(start ?? 0, stop ?? long.MaxValue, step, false);
    public static readonly TensorIndex Colon = Slice();
    public static implicit operator TensorIndex(long index) => Single(index);
    public static implicit operator TensorIndex(Range range) => Slice(
        range.Start.IsFromEnd ? -range.Start.Value : range.Start.Value,
        range.End.IsFromEnd ? (range.End.Value == 0 ? long.MaxValue : -range.End.Value) : range.End.Value);
}
