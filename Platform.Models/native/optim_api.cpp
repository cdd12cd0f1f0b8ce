// Optimizer updates and gradient clipping over whole parameter lists.
//
// The update rules are PyTorch's (torch.optim.SGD / Adam / AdamW) written with libtorch's own
// in-place kernels, with fewer memory passes than the Python loop (lerp_ for the first moment,
// in-place denominators).
#include "api.h"

#include <cmath>

using elt::guard;
using T = at::Tensor;

namespace {
// Runs fn(i) for every parameter index without autograd recording, on the calling thread. The
// update used to be spread over worker threads; on two cores that made Adam's step of the BCAF
// benchmark 360 ms instead of 171 ms, the workers competing with OpenBLAS's threads, which still
// spin after the backward pass's GEMMs.
template <typename F>
void for_each_parameter(int count, F&& fn) {
  at::NoGradGuard no_grad;
  for (int i = 0; i < count; ++i) fn(i);
}
}  // namespace

// Adam (decoupled = 0, L2 added to the gradient) or AdamW (decoupled = 1, PyTorch's
// p *= 1 - lr * weight_decay). `step` is the step count after this update (1 on the first call).
// Parameters without a gradient are skipped, as in PyTorch.
ELT_EXPORT int elt_adam_step(T* const* params, T* const* exp_avg, T* const* exp_avg_sq, int count, double lr,
                             double beta1, double beta2, double eps, double weight_decay, int decoupled,
                             int64_t step) {
  return guard([&] {
    double bias_correction1 = 1 - std::pow(beta1, static_cast<double>(step));
    double bias_correction2_sqrt = std::sqrt(1 - std::pow(beta2, static_cast<double>(step)));
    double step_size = lr / bias_correction1;
    for_each_parameter(count, [&](int i) {
      T& p = *params[i];
      if (!p.grad().defined()) return;
      T grad = p.grad();
      if (weight_decay != 0) {
        if (decoupled) p.mul_(1 - lr * weight_decay);
        else grad = grad.add(p, weight_decay);
      }
      exp_avg[i]->lerp_(grad, 1 - beta1);
      exp_avg_sq[i]->mul_(beta2).addcmul_(grad, grad, 1 - beta2);
      T denom = exp_avg_sq[i]->sqrt();
      denom.div_(bias_correction2_sqrt).add_(eps);
      p.addcdiv_(*exp_avg[i], denom, -step_size);
    });
  });
}

// SGD with optional momentum (PyTorch's: the buffer starts as the first gradient), dampening,
// Nesterov and L2 weight decay. `first` = 1 on the first step. Buffers may be null without momentum.
ELT_EXPORT int elt_sgd_step(T* const* params, T* const* momentum_buffers, int count, double lr, double momentum,
                            double dampening, double weight_decay, int nesterov, int first) {
  return guard([&] {
    for_each_parameter(count, [&](int i) {
      T& p = *params[i];
      if (!p.grad().defined()) return;
      T grad = p.grad();
      if (weight_decay != 0) grad = grad.add(p, weight_decay);
      if (momentum != 0) {
        T& buffer = *momentum_buffers[i];
        if (first) buffer.copy_(grad);
        else buffer.mul_(momentum).add_(grad, 1 - dampening);
        grad = nesterov ? grad.add(buffer, momentum) : buffer;
      }
      p.add_(grad, -lr);
    });
  });
}

// Scales all gradients so that their joint norm is at most max_norm; returns the norm before
// clipping (torch.nn.utils.clip_grad_norm_).
ELT_EXPORT int elt_clip_grad_norm(T* const* params, int count, double max_norm, double norm_type, double* total) {
  return guard([&] {
    at::NoGradGuard no_grad;
    std::vector<T> norms;
    for (int i = 0; i < count; ++i)
      if (params[i]->grad().defined()) norms.push_back(at::norm(params[i]->grad(), norm_type));
    if (norms.empty()) {
      *total = 0;
      return;
    }
    T total_norm = std::isinf(norm_type) ? at::stack(norms).max() : at::norm(at::stack(norms), norm_type);
    T coef = at::clamp_max(max_norm / (total_norm + 1e-6), 1.0);
    for (int i = 0; i < count; ++i)
      if (params[i]->grad().defined()) params[i]->mutable_grad().mul_(coef);
    *total = total_norm.item<double>();
  });
}
