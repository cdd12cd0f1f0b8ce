// Neural-network functionals: the layers' math and libtorch's losses.
#include "api.h"

#include <torch/version.h>

#include <cmath>

using elt::guard;
using elt::optional;
using elt::wrap;
using T = at::Tensor;
namespace F = torch::nn::functional;

ELT_EXPORT int elt_linear(const T* x, const T* weight, const T* bias, T** out) {
  return guard([&] { *out = wrap(at::linear(*x, *weight, optional(bias))); });
}

// A reduced-precision input (bfloat16/half under autocast) with float32 affine weights is
// normalised in float32, as autocast's float32 policy would: libtorch 1.13's CPU kernels refuse
// the mixed dtypes, and the statistics are better in float32 anyway.
static T normalisation_input(const T& x, const T* weight) {
  bool reduced = x.scalar_type() == at::kBFloat16 || x.scalar_type() == at::kHalf;
  return reduced && weight != nullptr && weight->scalar_type() == at::kFloat ? x.to(at::kFloat) : x;
}

ELT_EXPORT int elt_layer_norm(const T* x, const int64_t* shape, int ndim, const T* weight, const T* bias, double eps,
                              T** out) {
  return guard([&] {
    *out = wrap(at::layer_norm(normalisation_input(*x, weight), elt::dims(shape, ndim), optional(weight), optional(bias), eps));
  });
}

ELT_EXPORT int elt_group_norm(const T* x, int64_t groups, const T* weight, const T* bias, double eps, T** out) {
  return guard([&] { *out = wrap(at::group_norm(normalisation_input(*x, weight), groups, optional(weight), optional(bias), eps)); });
}

ELT_EXPORT int elt_dropout(const T* x, double p, int train, T** out) {
  return guard([&] { *out = wrap(at::dropout(*x, p, train != 0)); });
}

ELT_EXPORT int elt_embedding(const T* weight, const T* indices, int64_t padding_idx, T** out) {
  return guard([&] { *out = wrap(at::embedding(*weight, *indices, padding_idx)); });
}

// spatial = 1 for conv1d, 2 for conv2d; stride/padding/dilation carry `spatial` values each.
ELT_EXPORT int elt_conv(int spatial, const T* x, const T* weight, const T* bias, const int64_t* stride,
                        const int64_t* padding, const int64_t* dilation, int64_t groups, T** out) {
  return guard([&] {
    auto s = elt::dims(stride, spatial), p = elt::dims(padding, spatial), d = elt::dims(dilation, spatial);
    TORCH_CHECK(spatial == 1 || spatial == 2, "conv supports 1 or 2 spatial dimensions, got ", spatial);
    *out = wrap(spatial == 1 ? at::conv1d(*x, *weight, optional(bias), s, p, d, groups)
                             : at::conv2d(*x, *weight, optional(bias), s, p, d, groups));
  });
}

// mode: 0 constant, 1 reflect, 2 replicate, 3 circular
ELT_EXPORT int elt_pad(const T* x, const int64_t* pads, int npads, int mode, double value, T** out) {
  return guard([&] {
    std::vector<int64_t> p(pads, pads + npads);
    auto options = F::PadFuncOptions(p).value(value);
    switch (mode) {
      case 0: options.mode(torch::kConstant); break;
      case 1: options.mode(torch::kReflect); break;
      case 2: options.mode(torch::kReplicate); break;
      case 3: options.mode(torch::kCircular); break;
      default: TORCH_CHECK(false, "unknown pad mode ", mode);
    }
    *out = wrap(F::pad(*x, options));
  });
}

ELT_EXPORT int elt_cosine_similarity(const T* a, const T* b, int64_t dim, double eps, T** out) {
  return guard([&] { *out = wrap(at::cosine_similarity(*a, *b, dim, eps)); });
}

ELT_EXPORT int elt_normalize(const T* x, double p, int64_t dim, double eps, T** out) {
  return guard([&] { *out = wrap(F::normalize(*x, F::NormalizeFuncOptions().p(p).dim(dim).eps(eps))); });
}

// Scaled dot-product attention over (..., L, E) queries and (..., S, E) keys/values.
// A boolean mask is True where attention is allowed; a float mask is added to the scores
// (PyTorch 2's F.scaled_dot_product_attention semantics on every libtorch version).
ELT_EXPORT int elt_sdpa(const T* q, const T* k, const T* v, const T* mask, double dropout_p, int is_causal, T** out) {
  return guard([&] {
#if TORCH_VERSION_MAJOR >= 2
    *out = wrap(at::scaled_dot_product_attention(*q, *k, *v, optional(mask), dropout_p, is_causal != 0));
#else
    auto scores = at::matmul(*q, k->transpose(-2, -1)).mul_(1.0 / std::sqrt(static_cast<double>(q->size(-1))));
    if (is_causal) {
      auto allowed = at::ones({q->size(-2), k->size(-2)}, q->options().dtype(at::kBool)).tril();
      scores = scores.masked_fill(allowed.logical_not(), -std::numeric_limits<double>::infinity());
    }
    if (mask != nullptr) {
      scores = mask->scalar_type() == at::kBool
                   ? scores.masked_fill(mask->logical_not(), -std::numeric_limits<double>::infinity())
                   : scores + *mask;
    }
    // Softmax statistics in float32 whatever the compute dtype (bfloat16 under autocast).
    auto weights = at::softmax(scores, -1, at::kFloat).to(v->scalar_type());
    if (dropout_p > 0) weights = at::dropout(weights, dropout_p, true);
    *out = wrap(at::matmul(weights, *v));
#endif
  });
}

// reduction: 0 none, 1 mean, 2 sum (at::Reduction's values).
ELT_EXPORT int elt_cross_entropy(const T* logits, const T* target, const T* weight, int64_t ignore_index,
                                 int reduction, double label_smoothing, T** out) {
  return guard([&] {
    *out = wrap(at::cross_entropy_loss(*logits, *target, optional(weight), reduction, ignore_index, label_smoothing));
  });
}

ELT_EXPORT int elt_nll_loss(const T* log_probs, const T* target, const T* weight, int64_t ignore_index,
                            int reduction, T** out) {
  return guard([&] {
    *out = wrap(at::nll_loss_nd(*log_probs, *target, optional(weight), reduction, ignore_index));
  });
}

ELT_EXPORT int elt_mse_loss(const T* input, const T* target, int reduction, T** out) {
  return guard([&] { *out = wrap(at::mse_loss(*input, *target, reduction)); });
}
