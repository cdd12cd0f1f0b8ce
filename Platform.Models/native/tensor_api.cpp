// Tensors: lifetime, creation, properties, data exchange, autograd and the tensor-level ops.
#include "api.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>
#include <malloc.h>

#include <cstring>
#include <thread>

using elt::guard;
using elt::wrap;
using T = at::Tensor;

namespace elt {
namespace {
thread_local std::string last_error;
}
void set_error(const std::string& message) { last_error = message; }
}  // namespace elt

ELT_EXPORT const char* elt_last_error() { return elt::last_error.c_str(); }

// A training step frees and re-allocates the same activation sizes (megabytes each) every step.
// With glibc's defaults those come from fresh mmap()s or a heap top that is trimmed on free, so
// every step pays page faults to zero the same memory again. Serving blocks up to 32 MiB (glibc's
// maximum) from the heap and never trimming it keeps that memory in the process for reuse;
// resident memory then stays at the step's peak instead of oscillating.
__attribute__((constructor)) static void keep_freed_memory_for_reuse() {
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
}

// ---- lifetime and properties ---------------------------------------------------------------

ELT_EXPORT void elt_free(T* t) { delete t; }

ELT_EXPORT int elt_dim(const T* t, int64_t* out) { return guard([&] { *out = t->dim(); }); }

ELT_EXPORT int elt_shape(const T* t, int64_t* out) {
  return guard([&] {
    for (int64_t i = 0; i < t->dim(); ++i) out[i] = t->size(i);
  });
}

ELT_EXPORT int elt_dtype(const T* t, int* out) { return guard([&] { *out = static_cast<int>(t->scalar_type()); }); }

ELT_EXPORT int elt_device(const T* t, int* type, int* index) {
  return guard([&] {
    *type = t->is_cuda() ? 1 : t->is_meta() ? 2 : 0;
    *index = t->is_cuda() ? t->device().index() : -1;
  });
}

ELT_EXPORT int elt_requires_grad(const T* t, int* out) { return guard([&] { *out = t->requires_grad(); }); }

ELT_EXPORT int elt_set_requires_grad(T* t, int value) { return guard([&] { t->set_requires_grad(value != 0); }); }

ELT_EXPORT int elt_is_contiguous(const T* t, int* out) { return guard([&] { *out = t->is_contiguous(); }); }

// Replaces the tensor's storage in place (keeps the handle, so a module's parameter moved to
// another device stays the same object for its optimizer).
ELT_EXPORT int elt_set_data(T* t, const T* data) { return guard([&] { t->set_data(*data); }); }

// Points the handle at another tensor, keeping its requires_grad: unlike set_data this works
// across tensor kinds (a meta parameter given CPU storage), for modules built on the meta device.
ELT_EXPORT int elt_replace(T* t, const T* data) {
  return guard([&] {
    bool requires_grad = t->requires_grad();
    *t = data->detach();
    if (requires_grad) t->set_requires_grad(true);
  });
}

// ---- creation -------------------------------------------------------------------------------

// Copies `nbytes` of host memory into a new tensor of the given dtype, shape and device.
ELT_EXPORT int elt_from_blob(const void* data, int64_t nbytes, const int64_t* shape, int ndim, int dtype,
                             int device_type, int device_index, T** out) {
  return guard([&] {
    auto cpu = at::empty(elt::dims(shape, ndim), elt::options(dtype, 0, -1));
    TORCH_CHECK(static_cast<int64_t>(cpu.nbytes()) == nbytes, "from_blob: ", nbytes, " bytes given for shape ",
                cpu.sizes(), " of ", cpu.scalar_type(), " which needs ", cpu.nbytes());
    if (nbytes > 0) std::memcpy(cpu.data_ptr(), data, nbytes);
    *out = wrap(device_type == 0 ? cpu : cpu.to(elt::device(device_type, device_index)));
  });
}

// kind: 0 empty, 1 zeros, 2 ones, 3 full(value), 4 rand, 5 randn
ELT_EXPORT int elt_factory(int kind, const int64_t* shape, int ndim, int dtype, int device_type, int device_index,
                           double value, T** out) {
  return guard([&] {
    auto size = elt::dims(shape, ndim);
    auto opts = elt::options(dtype, device_type, device_index);
    switch (kind) {
      case 0: *out = wrap(at::empty(size, opts)); break;
      case 1: *out = wrap(at::zeros(size, opts)); break;
      case 2: *out = wrap(at::ones(size, opts)); break;
      case 3: *out = wrap(at::full(size, value, opts)); break;
      case 4: *out = wrap(at::rand(size, opts)); break;
      case 5: *out = wrap(at::randn(size, opts)); break;
      default: TORCH_CHECK(false, "unknown factory kind ", kind);
    }
  });
}

ELT_EXPORT int elt_arange(double start, double end, double step, int dtype, int device_type, int device_index, T** out) {
  return guard([&] { *out = wrap(at::arange(start, end, step, elt::options(dtype, device_type, device_index))); });
}

ELT_EXPORT int elt_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, int device_type,
                           int device_index, T** out) {
  return guard([&] {
    *out = wrap(at::randint(low, high, elt::dims(shape, ndim), elt::options(static_cast<int>(at::kLong), device_type, device_index)));
  });
}

ELT_EXPORT int elt_randperm(int64_t n, T** out) { return guard([&] { *out = wrap(at::randperm(n, at::kLong)); }); }

// ---- data exchange --------------------------------------------------------------------------

// Copies the tensor's elements (row-major, its own dtype) into host memory of `nbytes`.
ELT_EXPORT int elt_copy_to_host(const T* t, void* dst, int64_t nbytes) {
  return guard([&] {
    auto cpu = t->detach().to(at::kCPU).contiguous();
    TORCH_CHECK(static_cast<int64_t>(cpu.nbytes()) == nbytes, "copy_to_host: buffer of ", nbytes,
                " bytes for a tensor of ", cpu.nbytes(), " bytes ", cpu.sizes());
    if (nbytes > 0) std::memcpy(dst, cpu.data_ptr(), nbytes);
  });
}

ELT_EXPORT int elt_item(const T* t, double* out) { return guard([&] { *out = t->item<double>(); }); }

ELT_EXPORT int elt_item_long(const T* t, int64_t* out) { return guard([&] { *out = t->item<int64_t>(); }); }

ELT_EXPORT int elt_to(const T* t, int dtype, int device_type, int device_index, T** out) {
  return guard([&] { *out = wrap(t->to(elt::device(device_type, device_index), elt::scalar_type(dtype))); });
}

ELT_EXPORT int elt_to_string(const T* t, char* buffer, int64_t capacity, int64_t* needed) {
  return guard([&] {
    std::ostringstream stream;
    stream << *t;
    auto text = stream.str();
    *needed = static_cast<int64_t>(text.size()) + 1;
    if (capacity >= *needed) std::memcpy(buffer, text.c_str(), *needed);
  });
}

// ---- autograd -------------------------------------------------------------------------------

ELT_EXPORT int elt_backward(const T* t, const T* grad, int retain_graph) {
  return guard([&] {
    t->backward(grad ? *grad : T(), retain_graph ? c10::optional<bool>(true) : c10::nullopt);
  });
}

// Writes a null handle when the tensor has no gradient yet.
ELT_EXPORT int elt_grad(const T* t, T** out) {
  return guard([&] {
    const auto& g = t->grad();
    *out = g.defined() ? wrap(g) : nullptr;
  });
}

ELT_EXPORT int elt_zero_grad(T* t) {
  return guard([&] {
    if (t->grad().defined()) t->mutable_grad() = T();
  });
}

ELT_EXPORT int elt_grad_enabled(int* out) { return guard([&] { *out = at::GradMode::is_enabled(); }); }

ELT_EXPORT int elt_set_grad_enabled(int enabled) { return guard([&] { at::GradMode::set_enabled(enabled != 0); }); }

ELT_EXPORT int elt_detach(const T* t, T** out) { return guard([&] { *out = wrap(t->detach()); }); }

ELT_EXPORT int elt_clone(const T* t, T** out) { return guard([&] { *out = wrap(t->clone()); }); }

ELT_EXPORT int elt_contiguous(const T* t, T** out) { return guard([&] { *out = wrap(t->contiguous()); }); }

// ---- global state ---------------------------------------------------------------------------

ELT_EXPORT int elt_manual_seed(uint64_t seed) { return guard([&] { torch::manual_seed(seed); }); }

ELT_EXPORT int elt_set_num_threads(int n) { return guard([&] { at::set_num_threads(n); }); }

ELT_EXPORT int elt_get_num_threads(int* out) { return guard([&] { *out = at::get_num_threads(); }); }

// Autocast (mixed precision) on this thread, as torch.autocast's __enter__ / __exit__: enter
// turns it on for the device type with the lower-precision dtype and returns what was set before;
// leave restores that and, leaving the outermost region, frees the cache of casted weights.
// device_type: 0 cpu, 1 cuda.
ELT_EXPORT int elt_autocast_enter(int device_type, int dtype, int* previous_enabled, int* previous_dtype) {
  return guard([&] {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    auto device = device_type == 1 ? at::kCUDA : at::kCPU;
    *previous_enabled = at::autocast::is_autocast_enabled(device);
    *previous_dtype = static_cast<int>(at::autocast::get_autocast_dtype(device));
    at::autocast::set_autocast_enabled(device, true);
    at::autocast::set_autocast_dtype(device, elt::scalar_type(dtype));
#else
    *previous_enabled = device_type == 1 ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
    *previous_dtype = static_cast<int>(device_type == 1 ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype());
    if (device_type == 1) {
      at::autocast::set_enabled(true);
      at::autocast::set_autocast_gpu_dtype(elt::scalar_type(dtype));
    } else {
      at::autocast::set_cpu_enabled(true);
      at::autocast::set_autocast_cpu_dtype(elt::scalar_type(dtype));
    }
#endif
    at::autocast::increment_nesting();
  });
}

ELT_EXPORT int elt_autocast_leave(int device_type, int previous_enabled, int previous_dtype) {
  return guard([&] {
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    auto device = device_type == 1 ? at::kCUDA : at::kCPU;
    at::autocast::set_autocast_enabled(device, previous_enabled != 0);
    at::autocast::set_autocast_dtype(device, elt::scalar_type(previous_dtype));
#else
    if (device_type == 1) {
      at::autocast::set_enabled(previous_enabled != 0);
      at::autocast::set_autocast_gpu_dtype(elt::scalar_type(previous_dtype));
    } else {
      at::autocast::set_cpu_enabled(previous_enabled != 0);
      at::autocast::set_autocast_cpu_dtype(elt::scalar_type(previous_dtype));
    }
#endif
  });
}

ELT_EXPORT int elt_cuda_device_count(int* out) { return guard([&] { *out = static_cast<int>(torch::cuda::device_count()); }); }

// ---- elementwise ----------------------------------------------------------------------------

// Unary ops by code, so one exported entry covers the family (codes in Torch/NativeOps.cs).
ELT_EXPORT int elt_unary(int op, const T* a, T** out) {
  return guard([&] {
    switch (op) {
      case 0: *out = wrap(at::neg(*a)); break;
      case 1: *out = wrap(at::exp(*a)); break;
      case 2: *out = wrap(at::log(*a)); break;
      case 3: *out = wrap(at::sqrt(*a)); break;
      case 4: *out = wrap(at::relu(*a)); break;
      case 5: *out = wrap(at::gelu(*a)); break;
      case 6: *out = wrap(at::gelu(*a, "tanh")); break;
      case 7: *out = wrap(at::silu(*a)); break;
      case 8: *out = wrap(at::tanh(*a)); break;
      case 9: *out = wrap(at::sigmoid(*a)); break;
      case 10: *out = wrap(at::abs(*a)); break;
      case 11: *out = wrap(at::rsqrt(*a)); break;
      case 12: *out = wrap(at::logical_not(*a)); break;
      case 13: *out = wrap(at::isnan(*a)); break;
      case 14: *out = wrap(at::square(*a)); break;
      case 15: *out = wrap(at::cos(*a)); break;
      case 16: *out = wrap(at::sin(*a)); break;
      default: TORCH_CHECK(false, "unknown unary op ", op);
    }
  });
}

// Binary tensor-tensor ops by code.
ELT_EXPORT int elt_binary(int op, const T* a, const T* b, T** out) {
  return guard([&] {
    switch (op) {
      case 0: *out = wrap(at::add(*a, *b)); break;
      case 1: *out = wrap(at::sub(*a, *b)); break;
      case 2: *out = wrap(at::mul(*a, *b)); break;
      case 3: *out = wrap(at::div(*a, *b)); break;
      case 4: *out = wrap(at::pow(*a, *b)); break;
      case 5: *out = wrap(at::matmul(*a, *b)); break;
      case 6: *out = wrap(at::bmm(*a, *b)); break;
      case 7: *out = wrap(at::maximum(*a, *b)); break;
      case 8: *out = wrap(at::minimum(*a, *b)); break;
      case 9: *out = wrap(at::eq(*a, *b)); break;
      case 10: *out = wrap(at::ne(*a, *b)); break;
      case 11: *out = wrap(at::lt(*a, *b)); break;
      case 12: *out = wrap(at::le(*a, *b)); break;
      case 13: *out = wrap(at::gt(*a, *b)); break;
      case 14: *out = wrap(at::ge(*a, *b)); break;
      case 15: *out = wrap(at::logical_and(*a, *b)); break;
      case 16: *out = wrap(at::logical_or(*a, *b)); break;
      case 17: *out = wrap(at::mm(*a, *b)); break;
      default: TORCH_CHECK(false, "unknown binary op ", op);
    }
  });
}

// Binary tensor-scalar ops by code.
ELT_EXPORT int elt_binary_scalar(int op, const T* a, double s, T** out) {
  return guard([&] {
    switch (op) {
      case 0: *out = wrap(at::add(*a, s)); break;
      case 1: *out = wrap(at::sub(*a, s)); break;
      case 2: *out = wrap(at::mul(*a, s)); break;
      case 3: *out = wrap(at::div(*a, s)); break;
      case 4: *out = wrap(at::pow(*a, s)); break;
      case 9: *out = wrap(at::eq(*a, s)); break;
      case 10: *out = wrap(at::ne(*a, s)); break;
      case 11: *out = wrap(at::lt(*a, s)); break;
      case 12: *out = wrap(at::le(*a, s)); break;
      case 13: *out = wrap(at::gt(*a, s)); break;
      case 14: *out = wrap(at::ge(*a, s)); break;
      case 20: *out = wrap(at::rsub(*a, s)); break;                   // s - a
      case 21: *out = wrap(at::div(at::full_like(*a, s), *a)); break;  // s / a
      default: TORCH_CHECK(false, "unknown scalar op ", op);
    }
  });
}

// In-place updates, for optimizers and initialisation (run under no-grad by the caller).
ELT_EXPORT int elt_inplace(int op, T* a, const T* b, double s) {
  return guard([&] {
    switch (op) {
      case 0: a->add_(*b, s); break;  // a += s * b
      case 1: a->mul_(*b); break;
      case 2: a->copy_(*b); break;
      case 3: a->fill_(s); break;
      case 4: a->zero_(); break;
      case 5: a->mul_(s); break;
      case 6: a->add_(s); break;
      case 7: a->uniform_(-s, s); break;
      case 8: a->normal_(0.0, s); break;
      default: TORCH_CHECK(false, "unknown in-place op ", op);
    }
  });
}

ELT_EXPORT int elt_clamp(const T* a, double min, double max, int has_min, int has_max, T** out) {
  return guard([&] {
    *out = wrap(at::clamp(*a, has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                          has_max ? c10::optional<at::Scalar>(max) : c10::nullopt));
  });
}

ELT_EXPORT int elt_where(const T* condition, const T* a, const T* b, T** out) {
  return guard([&] { *out = wrap(at::where(*condition, *a, *b)); });
}

ELT_EXPORT int elt_masked_fill(const T* a, const T* mask, double value, T** out) {
  return guard([&] { *out = wrap(at::masked_fill(*a, *mask, value)); });
}

// ---- reductions -----------------------------------------------------------------------------

// op: 0 sum, 1 mean, 2 max (values), 3 min (values), 4 argmax, 5 argmin, 6 var, 7 std (unbiased).
// ndim == 0 reduces over every element.
ELT_EXPORT int elt_reduce(int op, const T* a, const int64_t* dims, int ndim, int keepdim, T** out) {
  return guard([&] {
    bool keep = keepdim != 0;
    auto d = elt::dims(dims, ndim);
    switch (op) {
      case 0: *out = wrap(ndim == 0 ? at::sum(*a) : at::sum(*a, d, keep)); break;
      case 1: *out = wrap(ndim == 0 ? at::mean(*a) : at::mean(*a, d, keep)); break;
      case 2:
        TORCH_CHECK(ndim <= 1, "max reduces over one dimension or all");
        *out = wrap(ndim == 0 ? at::max(*a) : std::get<0>(at::max(*a, dims[0], keep)));
        break;
      case 3:
        TORCH_CHECK(ndim <= 1, "min reduces over one dimension or all");
        *out = wrap(ndim == 0 ? at::min(*a) : std::get<0>(at::min(*a, dims[0], keep)));
        break;
      case 4:
        *out = wrap(ndim == 0 ? at::argmax(*a) : at::argmax(*a, dims[0], keep));
        break;
      case 5:
        *out = wrap(ndim == 0 ? at::argmin(*a) : at::argmin(*a, dims[0], keep));
        break;
      case 6: *out = wrap(ndim == 0 ? at::var(*a) : at::var(*a, d, true, keep)); break;
      case 7: *out = wrap(ndim == 0 ? at::std(*a) : at::std(*a, d, true, keep)); break;
      default: TORCH_CHECK(false, "unknown reduction ", op);
    }
  });
}

ELT_EXPORT int elt_cumsum(const T* a, int64_t dim, T** out) { return guard([&] { *out = wrap(at::cumsum(*a, dim)); }); }

ELT_EXPORT int elt_max_dim(const T* a, int64_t dim, int keepdim, T** values, T** indices) {
  return guard([&] {
    auto result = at::max(*a, dim, keepdim != 0);
    *values = wrap(std::get<0>(result));
    *indices = wrap(std::get<1>(result));
  });
}

ELT_EXPORT int elt_softmax(const T* a, int64_t dim, int log, T** out) {
  return guard([&] { *out = wrap(log ? at::log_softmax(*a, dim) : at::softmax(*a, dim)); });
}

// ---- shape and indexing ---------------------------------------------------------------------

// op: 0 reshape, 1 view, 2 permute, 3 expand
ELT_EXPORT int elt_reshape(int op, const T* a, const int64_t* shape, int ndim, T** out) {
  return guard([&] {
    auto s = elt::dims(shape, ndim);
    switch (op) {
      case 0: *out = wrap(a->reshape(s)); break;
      case 1: *out = wrap(a->view(s)); break;
      case 2: *out = wrap(a->permute(s)); break;
      case 3: *out = wrap(a->expand(s)); break;
      default: TORCH_CHECK(false, "unknown reshape op ", op);
    }
  });
}

ELT_EXPORT int elt_transpose(const T* a, int64_t d0, int64_t d1, T** out) {
  return guard([&] { *out = wrap(a->transpose(d0, d1)); });
}

ELT_EXPORT int elt_unsqueeze(const T* a, int64_t dim, T** out) { return guard([&] { *out = wrap(a->unsqueeze(dim)); }); }

ELT_EXPORT int elt_squeeze(const T* a, int64_t dim, int all, T** out) {
  return guard([&] { *out = wrap(all ? a->squeeze() : a->squeeze(dim)); });
}

ELT_EXPORT int elt_flatten(const T* a, int64_t start, int64_t end, T** out) {
  return guard([&] { *out = wrap(a->flatten(start, end)); });
}

ELT_EXPORT int elt_cat(T* const* tensors, int count, int64_t dim, int stack, T** out) {
  return guard([&] {
    auto list = elt::tensor_list(tensors, count);
    *out = wrap(stack ? at::stack(list, dim) : at::cat(list, dim));
  });
}

// Splits into pieces of `size` (chunk = 0) or into `size` chunks (chunk = 1). The caller passes
// an array of `capacity` handles and receives the piece count.
ELT_EXPORT int elt_split(const T* a, int64_t size, int64_t dim, int chunk, T** outs, int capacity, int* count) {
  return guard([&] {
    auto pieces = chunk ? a->chunk(size, dim) : a->split(size, dim);
    TORCH_CHECK(static_cast<int>(pieces.size()) <= capacity, "split produced ", pieces.size(), " pieces, room for ", capacity);
    *count = static_cast<int>(pieces.size());
    for (size_t i = 0; i < pieces.size(); ++i) outs[i] = wrap(pieces[i]);
  });
}

ELT_EXPORT int elt_select(const T* a, int64_t dim, int64_t index, T** out) {
  return guard([&] { *out = wrap(a->select(dim, index)); });
}

ELT_EXPORT int elt_slice(const T* a, int64_t dim, int64_t start, int64_t end, int64_t step, T** out) {
  return guard([&] { *out = wrap(a->slice(dim, start, end, step)); });
}

ELT_EXPORT int elt_index_select(const T* a, int64_t dim, const T* index, T** out) {
  return guard([&] { *out = wrap(at::index_select(*a, dim, *index)); });
}

// a[mask] for a boolean mask, or a[indices] along the first dimension for an int64 tensor.
ELT_EXPORT int elt_index(const T* a, const T* index, T** out) {
  return guard([&] {
    c10::List<c10::optional<at::Tensor>> indices;
    indices.push_back(*index);
    *out = wrap(at::index(*a, indices));
  });
}

ELT_EXPORT int elt_gather(const T* a, int64_t dim, const T* index, T** out) {
  return guard([&] { *out = wrap(at::gather(*a, dim, *index)); });
}

ELT_EXPORT int elt_one_hot(const T* a, int64_t num_classes, T** out) {
  return guard([&] { *out = wrap(at::one_hot(*a, num_classes)); });
}

ELT_EXPORT int elt_tril(const T* a, int64_t diagonal, int upper, T** out) {
  return guard([&] { *out = wrap(upper ? at::triu(*a, diagonal) : at::tril(*a, diagonal)); });
}
