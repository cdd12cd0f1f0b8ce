using System.Runtime.InteropServices;

namespace EmotionLab.Models.Torch;

/// <summary>The C ABI of native/ (libemotionlab_torch.so). Every call returns 0 or 1; see Native.Check.</summary>
internal static unsafe class NativeMethods
{
    private const string Lib = "emotionlab_torch";

    [DllImport(Lib)] public static extern IntPtr elt_last_error();
    [DllImport(Lib)] public static extern void elt_free(IntPtr t);

    [DllImport(Lib)] public static extern int elt_dim(IntPtr t, out long dim);
    [DllImport(Lib)] public static extern int elt_shape(IntPtr t, long* shape);
    [DllImport(Lib)] public static extern int elt_dtype(IntPtr t, out int dtype);
    [DllImport(Lib)] public static extern int elt_device(IntPtr t, out int type, out int index);
    [DllImport(Lib)] public static extern int elt_requires_grad(IntPtr t, out int value);
    [DllImport(Lib)] public static extern int elt_set_requires_grad(IntPtr t, int value);
    [DllImport(Lib)] public static extern int elt_is_contiguous(IntPtr t, out int value);
    [DllImport(Lib)] public static extern int elt_autocast_enter(int deviceType, int dtype, out int previousEnabled, out int previousDtype);
    [DllImport(Lib)] public static extern int elt_autocast_leave(int deviceType, int previousEnabled, int previousDtype);
    [DllImport(Lib)] public static extern int elt_set_data(IntPtr t, IntPtr data);
    [DllImport(Lib)] public static extern int elt_replace(IntPtr t, IntPtr data);

    [DllImport(Lib)] public static extern int elt_from_blob(void* data, long nbytes, long* shape, int ndim, int dtype, int deviceType, int deviceIndex, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_factory(int kind, long* shape, int ndim, int dtype, int deviceType, int deviceIndex, double value, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_randint(long low, long high, long* shape, int ndim, int deviceType, int deviceIndex, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_randperm(long n, out IntPtr result);

    [DllImport(Lib)] public static extern int elt_copy_to_host(IntPtr t, void* dst, long nbytes);
    [DllImport(Lib)] public static extern int elt_item(IntPtr t, out double value);
    [DllImport(Lib)] public static extern int elt_item_long(IntPtr t, out long value);
    [DllImport(Lib)] public static extern int elt_to(IntPtr t, int dtype, int deviceType, int deviceIndex, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_to_string(IntPtr t, byte* buffer, long capacity, out long needed);

    [DllImport(Lib)] public static extern int elt_backward(IntPtr t, IntPtr grad, int retainGraph);
    [DllImport(Lib)] public static extern int elt_grad(IntPtr t, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_zero_grad(IntPtr t);
    [DllImport(Lib)] public static extern int elt_grad_enabled(out int value);
    [DllImport(Lib)] public static extern int elt_set_grad_enabled(int enabled);
    [DllImport(Lib)] public static extern int elt_detach(IntPtr t, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_clone(IntPtr t, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_contiguous(IntPtr t, out IntPtr result);

    [DllImport(Lib)] public static extern int elt_manual_seed(ulong seed);
    [DllImport(Lib)] public static extern int elt_set_num_threads(int n);
    [DllImport(Lib)] public static extern int elt_get_num_threads(out int n);
    [DllImport(Lib)] public static extern int elt_cuda_device_count(out int n);

    [DllImport(Lib)] public static extern int elt_unary(int op, IntPtr a, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_binary(int op, IntPtr a, IntPtr b, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_binary_scalar(int op, IntPtr a, double s, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_inplace(int op, IntPtr a, IntPtr b, double s);
    [DllImport(Lib)] public static extern int elt_clamp(IntPtr a, double min, double max, int hasMin, int hasMax, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_where(IntPtr condition, IntPtr a, IntPtr b, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_masked_fill(IntPtr a, IntPtr mask, double value, out IntPtr result);

    [DllImport(Lib)] public static extern int elt_reduce(int op, IntPtr a, long* dims, int ndim, int keepdim, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_max_dim(IntPtr a, long dim, int keepdim, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] public static extern int elt_cumsum(IntPtr a, long dim, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_softmax(IntPtr a, long dim, int log, out IntPtr result);

    [DllImport(Lib)] public static extern int elt_reshape(int op, IntPtr a, long* shape, int ndim, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_transpose(IntPtr a, long d0, long d1, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_unsqueeze(IntPtr a, long dim, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_squeeze(IntPtr a, long dim, int all, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_flatten(IntPtr a, long start, long end, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_cat(IntPtr* tensors, int count, long dim, int stack, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_split(IntPtr a, long size, long dim, int chunk, IntPtr* outs, int capacity, out int count);
    [DllImport(Lib)] public static extern int elt_select(IntPtr a, long dim, long index, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_slice(IntPtr a, long dim, long start, long end, long step, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_index_select(IntPtr a, long dim, IntPtr index, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_index(IntPtr a, IntPtr index, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_gather(IntPtr a, long dim, IntPtr index, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_one_hot(IntPtr a, long numClasses, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_tril(IntPtr a, long diagonal, int upper, out IntPtr result);

    [DllImport(Lib)] public static extern int elt_linear(IntPtr x, IntPtr weight, IntPtr bias, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_group_norm(IntPtr x, long groups, IntPtr weight, IntPtr bias, double eps, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_layer_norm(IntPtr x, long* shape, int ndim, IntPtr weight, IntPtr bias, double eps, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_dropout(IntPtr x, double p, int train, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_embedding(IntPtr weight, IntPtr indices, long paddingIdx, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_conv(int spatial, IntPtr x, IntPtr weight, IntPtr bias, long* stride, long* padding, long* dilation, long groups, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_pad(IntPtr x, long* pads, int npads, int mode, double value, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_cosine_similarity(IntPtr a, IntPtr b, long dim, double eps, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_normalize(IntPtr x, double p, long dim, double eps, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_sdpa(IntPtr q, IntPtr k, IntPtr v, IntPtr mask, double dropoutP, int isCausal, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_cross_entropy(IntPtr logits, IntPtr target, IntPtr weight, long ignoreIndex, int reduction, double labelSmoothing, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_nll_loss(IntPtr logProbs, IntPtr target, IntPtr weight, long ignoreIndex, int reduction, out IntPtr result);
    [DllImport(Lib)] public static extern int elt_mse_loss(IntPtr input, IntPtr target, int reduction, out IntPtr result);

    [DllImport(Lib)] public static extern int elt_adam_step(IntPtr* parameters, IntPtr* expAvg, IntPtr* expAvgSq, int count, double lr, double beta1, double beta2, double eps, double weightDecay, int decoupled, long step);
    [DllImport(Lib)] public static extern int elt_sgd_step(IntPtr* parameters, IntPtr* momentumBuffers, int count, double lr, double momentum, double dampening, double weightDecay, int nesterov, int first);
    [DllImport(Lib)] public static extern int elt_clip_grad_norm(IntPtr* parameters, int count, double maxNorm, double normType, out double total);
}
