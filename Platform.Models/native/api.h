// The C ABI every EmotionLab tensor call goes through.
//
// Handles are heap-allocated at::Tensor objects owned by the C# side (Tensor.Dispose frees them).
// Every exported function returns 0 on success or 1 on failure; on failure the libtorch message
// is kept per thread and read with elt_last_error(), so a bad shape or dtype becomes a C#
// exception instead of a crash.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#define ELT_EXPORT extern "C" __attribute__((visibility("default")))

namespace elt {

void set_error(const std::string& message);

// Runs `body`, turning every C++ exception into a status code and a stored message.
template <typename F>
int guard(F&& body) {
  try {
    body();
    return 0;
  } catch (const c10::Error& e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown native error");
  }
  return 1;
}

inline at::Tensor* wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }

inline at::IntArrayRef dims(const int64_t* values, int count) {
  return at::IntArrayRef(values, static_cast<size_t>(count));
}

inline std::vector<at::Tensor> tensor_list(at::Tensor* const* handles, int count) {
  std::vector<at::Tensor> list;
  list.reserve(count);
  for (int i = 0; i < count; ++i) list.push_back(*handles[i]);
  return list;
}

// An optional tensor argument is passed as a null handle.
inline c10::optional<at::Tensor> optional(const at::Tensor* t) {
  if (t == nullptr) return c10::nullopt;
  return *t;
}

// Codes shared with Torch/ScalarType.cs: they are libtorch's own c10::ScalarType values.
inline at::ScalarType scalar_type(int code) { return static_cast<at::ScalarType>(code); }

// Device types shared with Torch/Device.cs: 0 cpu, 1 cuda:index, 2 meta (shapes only, no storage).
inline at::Device device(int type, int index) {
  if (type == 1) return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index));
  if (type == 2) return at::Device(at::kMeta);
  return at::Device(at::kCPU);
}

inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions().dtype(scalar_type(dtype)).device(device(device_type, device_index));
}

}  // namespace elt
