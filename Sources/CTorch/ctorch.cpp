// CTorch: libtorch (C++) behind the pure-C API of include/ctorch.h. Every entry point catches every
// exception; errors go to a thread-local string (see the header for the conventions).
// Kept in one file: <torch/torch.h> makes each translation unit cost ~15 s to compile.
#include "ctorch.h"

// libtorch 1.13's headers derive from std::iterator, deprecated in C++17; the warnings are theirs.
#pragma clang diagnostic ignored "-Wdeprecated-declarations"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/cuda.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/torch.h>

#include <dlfcn.h>
#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

struct ct_tensor {
  torch::Tensor t;
};
struct ct_guard {
  torch::NoGradGuard guard;
};
struct ct_archive {
  std::vector<std::string> names;
  std::vector<torch::Tensor> tensors;
};

namespace {

thread_local std::string g_last_error;

void set_error(const std::string &message) { g_last_error = message; }

// Records the in-flight exception's message. c10::Error without its C++ backtrace: the message alone
// is what a Swift user can act on.
void record_current_exception() {
  try {
    throw;
  } catch (const c10::Error &e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception &e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown C++ exception");
  }
}

ct_tensor *wrap(torch::Tensor t) { return new ct_tensor{std::move(t)}; }

std::vector<int64_t> shape_of(const int64_t *shape, int ndim) {
  if (ndim < 0 || (ndim > 0 && shape == nullptr)) throw std::invalid_argument("invalid shape");
  return std::vector<int64_t>(shape, shape + ndim);
}

const torch::Tensor &ref(const ct_tensor *t) {
  if (t == nullptr) throw std::invalid_argument("null tensor handle");
  return t->t;
}

c10::optional<torch::Tensor> optional_ref(const ct_tensor *t) {
  if (t == nullptr || !t->t.defined()) return c10::nullopt;
  return t->t;
}

torch::ScalarType scalar_type(int dtype) {
  switch (dtype) {
    case CT_FLOAT32: return torch::kFloat32;
    case CT_INT64: return torch::kInt64;
    case CT_BOOL: return torch::kBool;
  }
  throw std::invalid_argument("unknown dtype code " + std::to_string(dtype));
}

torch::Device device_of(int device) {
  switch (device) {
    case CT_CPU: return torch::Device(torch::kCPU);
    case CT_CUDA:
      if (!torch::cuda::is_available()) throw std::invalid_argument("CUDA is not available in this libtorch build or machine");
      return torch::Device(torch::kCUDA);
  }
  throw std::invalid_argument("unknown device code " + std::to_string(device));
}

torch::TensorOptions options(int dtype, int device) {
  return torch::TensorOptions().dtype(scalar_type(dtype)).device(device_of(device));
}

c10::optional<at::Generator> generator(uint64_t seed, int use_seed) {
  if (!use_seed) return c10::nullopt;
  return at::detail::createCPUGenerator(seed);
}

template <typename T>
int64_t copy_out(const ct_tensor *t, T *out, int64_t capacity, torch::ScalarType type) {
  try {
    auto c = ref(t).detach().to(torch::kCPU, type).contiguous();
    const int64_t n = std::min<int64_t>(c.numel(), capacity);
    if (n > 0) std::memcpy(out, c.data_ptr<T>(), static_cast<size_t>(n) * sizeof(T));
    return n;
  } catch (...) {
    record_current_exception();
    return -1;
  }
}


// CRC-32 (IEEE 802.3, as zip uses), table-driven.
uint32_t crc32_of(const char *data, size_t n) {
  static const std::vector<uint32_t> table = [] {
    std::vector<uint32_t> t(256);
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) c = table[(c ^ static_cast<uint8_t>(data[i])) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

uint32_t le32(const std::vector<char> &b, size_t at) {
  if (at + 4 > b.size()) throw std::runtime_error("truncated zip structure");
  return static_cast<uint32_t>(static_cast<uint8_t>(b[at])) | static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 2])) << 16 | static_cast<uint32_t>(static_cast<uint8_t>(b[at + 3])) << 24;
}
uint32_t le16(const std::vector<char> &b, size_t at) {
  if (at + 2 > b.size()) throw std::runtime_error("truncated zip structure");
  return static_cast<uint32_t>(static_cast<uint8_t>(b[at])) | static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 8;
}

// Checks the zip structure and every stored entry's CRC-32 before libtorch reads the archive:
// libtorch's reader skips the CRC checks, so a flipped byte in tensor data would load silently, and
// a damaged directory reaches code that was never meant for hostile input.
void verify_zip(const std::vector<char> &b) {
  if (b.size() < 22) throw std::runtime_error("too short for a zip archive");
  size_t eocd = std::string::npos;
  const size_t lowest = b.size() > 22 + 65535 ? b.size() - 22 - 65535 : 0;
  for (size_t at = b.size() - 22 + 1; at-- > lowest;) {
    if (le32(b, at) == 0x06054b50u) { eocd = at; break; }
  }
  if (eocd == std::string::npos) throw std::runtime_error("no zip end-of-directory record (truncated?)");
  const uint32_t entries = le16(b, eocd + 10);
  const uint32_t directory_size = le32(b, eocd + 12);
  size_t at = le32(b, eocd + 16);
  if (entries == 0xFFFF || at == 0xFFFFFFFFu) return;  // zip64 (> 4 GB): libtorch's own checks only
  if (static_cast<uint64_t>(at) + directory_size > eocd) throw std::runtime_error("zip directory out of bounds");
  for (uint32_t e = 0; e < entries; ++e) {
    if (le32(b, at) != 0x02014b50u) throw std::runtime_error("damaged zip directory");
    const uint32_t method = le16(b, at + 10), crc = le32(b, at + 16), compressed = le32(b, at + 20);
    const uint32_t name_length = le16(b, at + 28), extra_length = le16(b, at + 30), comment_length = le16(b, at + 32);
    const uint32_t local = le32(b, at + 42);
    if (at + 46 + name_length > b.size()) throw std::runtime_error("damaged zip directory");
    const std::string name(b.data() + at + 46, name_length);
    if (le32(b, local) != 0x04034b50u) throw std::runtime_error("damaged zip entry '" + name + "'");
    const size_t data = static_cast<size_t>(local) + 30 + le16(b, local + 26) + le16(b, local + 28);
    if (compressed != 0xFFFFFFFFu) {
      if (data + compressed > b.size()) throw std::runtime_error("zip entry '" + name + "' is truncated");
      if (method == 0 && crc32_of(b.data() + data, compressed) != crc)
        throw std::runtime_error("zip entry '" + name + "' fails its CRC-32 check");
    }
    at += 46 + name_length + extra_length + comment_length;
  }
}

}  // namespace

// Handle-returning calls: NULL on error. Status calls: 0 / -1.
#define CT_HANDLE(expr)                  \
  try {                                  \
    return wrap(expr);                   \
  } catch (...) {                        \
    record_current_exception();          \
    return nullptr;                      \
  }
#define CT_STATUS(stmt)                  \
  try {                                  \
    stmt;                                \
    return 0;                            \
  } catch (...) {                        \
    record_current_exception();          \
    return -1;                           \
  }

extern "C" {

// ---- library state ----
const char *ct_last_error(void) { return g_last_error.c_str(); }

#define CT_STR2(x) #x
#define CT_STR(x) CT_STR2(x)
const char *ct_torch_version(void) {
  return CT_STR(TORCH_VERSION_MAJOR) "." CT_STR(TORCH_VERSION_MINOR) "." CT_STR(TORCH_VERSION_PATCH);
}

int ct_set_num_threads(int n) {
  try {
    if (n < 1) throw std::invalid_argument("thread count must be >= 1, got " + std::to_string(n));
    at::set_num_threads(n);
    // Debian's libtorch calls BLAS through libblas.so.3 (OpenBLAS, pthreads). OpenBLAS's own pool
    // fights torch's OpenMP pool (6x slower small GEMMs); pin it to one thread when it is loaded.
    using setter = void (*)(int);
    if (auto f = reinterpret_cast<setter>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) f(1);
    return 0;
  } catch (...) {
    record_current_exception();
    return -1;
  }
}
int ct_get_num_threads(void) { return at::get_num_threads(); }
int ct_set_flush_denormal(int on) {
  try {
    // The flag lives in each thread's MXCSR: set it on the calling thread and, through a parallel
    // loop of one index per thread (ATen's OpenMP loop gives thread k index k), on the workers of
    // the calling thread's OpenMP team.
    bool supported = at::globalContext().setFlushDenormal(on != 0);
    if (supported) {
      at::parallel_for(0, at::get_num_threads(), 1, [on](int64_t, int64_t) { at::globalContext().setFlushDenormal(on != 0); });
    }
    return supported ? 1 : 0;
  } catch (...) {
    record_current_exception();
    return -1;
  }
}
int ct_get_flush_denormal(void) {
#if defined(__x86_64__) || defined(__i386__)
  // MXCSR's flush-to-zero (bit 15) and denormals-are-zero (bit 6), the two bits ATen sets.
  return (_mm_getcsr() & 0x8040u) == 0x8040u ? 1 : 0;
#else
  return 0;
#endif
}
int ct_manual_seed(uint64_t seed) { CT_STATUS(torch::manual_seed(seed)) }
int ct_cuda_is_available(void) {
  try {
    return torch::cuda::is_available() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

// ---- handles and properties ----
void ct_tensor_free(ct_tensor *t) { delete t; }
int ct_defined(const ct_tensor *t) { return t != nullptr && t->t.defined() ? 1 : 0; }
int ct_ndim(const ct_tensor *t) {
  try {
    return static_cast<int>(ref(t).dim());
  } catch (...) {
    record_current_exception();
    return -1;
  }
}
int ct_sizes(const ct_tensor *t, int64_t *out, int capacity) {
  try {
    auto s = ref(t).sizes();
    for (int i = 0; i < static_cast<int>(s.size()) && i < capacity; ++i) out[i] = s[i];
    return static_cast<int>(s.size());
  } catch (...) {
    record_current_exception();
    return -1;
  }
}
int ct_strides(const ct_tensor *t, int64_t *out, int capacity) {
  try {
    auto s = ref(t).strides();
    for (int i = 0; i < static_cast<int>(s.size()) && i < capacity; ++i) out[i] = s[i];
    return static_cast<int>(s.size());
  } catch (...) {
    record_current_exception();
    return -1;
  }
}
int64_t ct_numel(const ct_tensor *t) {
  try {
    return ref(t).numel();
  } catch (...) {
    record_current_exception();
    return -1;
  }
}
int ct_dtype(const ct_tensor *t) {
  try {
    switch (ref(t).scalar_type()) {
      case torch::kFloat32: return CT_FLOAT32;
      case torch::kInt64: return CT_INT64;
      case torch::kBool: return CT_BOOL;
      default: return -1;
    }
  } catch (...) {
    record_current_exception();
    return -1;
  }
}
int ct_device(const ct_tensor *t) {
  try {
    return ref(t).is_cuda() ? CT_CUDA : CT_CPU;
  } catch (...) {
    record_current_exception();
    return -1;
  }
}
int ct_is_contiguous(const ct_tensor *t) {
  try {
    return ref(t).is_contiguous() ? 1 : 0;
  } catch (...) {
    record_current_exception();
    return -1;
  }
}
int ct_requires_grad(const ct_tensor *t) {
  try {
    return ref(t).requires_grad() ? 1 : 0;
  } catch (...) {
    record_current_exception();
    return -1;
  }
}

int64_t ct_copy_to_floats(const ct_tensor *t, float *out, int64_t capacity) {
  return copy_out<float>(t, out, capacity, torch::kFloat32);
}
int64_t ct_copy_to_int64s(const ct_tensor *t, int64_t *out, int64_t capacity) {
  return copy_out<int64_t>(t, out, capacity, torch::kInt64);
}
int ct_item(const ct_tensor *t, double *out) { CT_STATUS(*out = ref(t).item<double>()) }

// ---- creation ----
ct_tensor *ct_zeros(const int64_t *shape, int ndim, int dtype, int device) {
  CT_HANDLE(torch::zeros(shape_of(shape, ndim), options(dtype, device)))
}
ct_tensor *ct_ones(const int64_t *shape, int ndim, int dtype, int device) {
  CT_HANDLE(torch::ones(shape_of(shape, ndim), options(dtype, device)))
}
ct_tensor *ct_full(const int64_t *shape, int ndim, double value, int dtype, int device) {
  CT_HANDLE(torch::full(shape_of(shape, ndim), value, options(dtype, device)))
}
ct_tensor *ct_from_floats(const float *data, const int64_t *shape, int ndim, int device) {
  CT_HANDLE(torch::from_blob(const_cast<float *>(data), shape_of(shape, ndim), torch::kFloat32)
                .clone()
                .to(device_of(device)))
}
ct_tensor *ct_from_int64s(const int64_t *data, const int64_t *shape, int ndim, int device) {
  CT_HANDLE(torch::from_blob(const_cast<int64_t *>(data), shape_of(shape, ndim), torch::kInt64)
                .clone()
                .to(device_of(device)))
}
ct_tensor *ct_arange(double start, double end, double step, int dtype, int device) {
  CT_HANDLE(torch::arange(start, end, step, options(dtype, device)))
}
ct_tensor *ct_rand(const int64_t *shape, int ndim, uint64_t seed, int use_seed, int device) {
  CT_HANDLE(torch::rand(shape_of(shape, ndim), generator(seed, use_seed), torch::kFloat32).to(device_of(device)))
}
ct_tensor *ct_randn(const int64_t *shape, int ndim, uint64_t seed, int use_seed, int device) {
  CT_HANDLE(torch::randn(shape_of(shape, ndim), generator(seed, use_seed), torch::kFloat32).to(device_of(device)))
}
ct_tensor *ct_randperm(int64_t n, uint64_t seed, int use_seed, int device) {
  CT_HANDLE(torch::randperm(n, generator(seed, use_seed), torch::kInt64).to(device_of(device)))
}

// ---- conversion ----
ct_tensor *ct_to(const ct_tensor *t, int dtype, int device) {
  CT_HANDLE(ref(t).to(device_of(device), scalar_type(dtype)))
}
ct_tensor *ct_contiguous(const ct_tensor *t) { CT_HANDLE(ref(t).contiguous()) }
ct_tensor *ct_contiguous_channels_last(const ct_tensor *t) {
  CT_HANDLE(ref(t).contiguous(at::MemoryFormat::ChannelsLast))
}
int ct_is_channels_last(const ct_tensor *t) {
  try {
    return ref(t).is_contiguous(at::MemoryFormat::ChannelsLast) ? 1 : 0;
  } catch (...) {
    return -1;
  }
}
ct_tensor *ct_clone(const ct_tensor *t) { CT_HANDLE(ref(t).clone()) }
ct_tensor *ct_detach(const ct_tensor *t) { CT_HANDLE(ref(t).detach()) }
ct_tensor *ct_alias(const ct_tensor *t) { CT_HANDLE(ref(t)) }

// ---- views and shape ----
ct_tensor *ct_reshape(const ct_tensor *t, const int64_t *shape, int ndim) {
  CT_HANDLE(ref(t).reshape(shape_of(shape, ndim)))
}
ct_tensor *ct_view(const ct_tensor *t, const int64_t *shape, int ndim) {
  CT_HANDLE(ref(t).view(shape_of(shape, ndim)))
}
ct_tensor *ct_permute(const ct_tensor *t, const int64_t *dims, int ndim) {
  CT_HANDLE(ref(t).permute(shape_of(dims, ndim)))
}
ct_tensor *ct_transpose(const ct_tensor *t, int64_t dim0, int64_t dim1) { CT_HANDLE(ref(t).transpose(dim0, dim1)) }
ct_tensor *ct_squeeze(const ct_tensor *t, int64_t dim, int has_dim) {
  CT_HANDLE(has_dim ? ref(t).squeeze(dim) : ref(t).squeeze())
}
ct_tensor *ct_unsqueeze(const ct_tensor *t, int64_t dim) { CT_HANDLE(ref(t).unsqueeze(dim)) }
ct_tensor *ct_flatten(const ct_tensor *t, int64_t start_dim, int64_t end_dim) {
  CT_HANDLE(ref(t).flatten(start_dim, end_dim))
}
ct_tensor *ct_narrow(const ct_tensor *t, int64_t dim, int64_t start, int64_t length) {
  CT_HANDLE(ref(t).narrow(dim, start, length))
}
ct_tensor *ct_slice(const ct_tensor *t, int64_t dim, int64_t start, int64_t end, int64_t step) {
  CT_HANDLE(ref(t).slice(dim, start, end, step))
}
ct_tensor *ct_select(const ct_tensor *t, int64_t dim, int64_t index) { CT_HANDLE(ref(t).select(dim, index)) }
ct_tensor *ct_expand(const ct_tensor *t, const int64_t *shape, int ndim) {
  CT_HANDLE(ref(t).expand(shape_of(shape, ndim)))
}
static std::vector<torch::Tensor> list_of(const ct_tensor *const *ts, int n) {
  if (n < 0 || (n > 0 && ts == nullptr)) throw std::invalid_argument("invalid tensor list");
  std::vector<torch::Tensor> v;
  v.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v.push_back(ref(ts[i]));
  return v;
}
ct_tensor *ct_cat(const ct_tensor *const *ts, int n, int64_t dim) { CT_HANDLE(torch::cat(list_of(ts, n), dim)) }
ct_tensor *ct_stack(const ct_tensor *const *ts, int n, int64_t dim) { CT_HANDLE(torch::stack(list_of(ts, n), dim)) }

// ---- indexing ----
ct_tensor *ct_gather(const ct_tensor *t, int64_t dim, const ct_tensor *index) {
  CT_HANDLE(torch::gather(ref(t), dim, ref(index)))
}
ct_tensor *ct_index_select(const ct_tensor *t, int64_t dim, const ct_tensor *index) {
  CT_HANDLE(torch::index_select(ref(t), dim, ref(index)))
}
ct_tensor *ct_masked_fill(const ct_tensor *t, const ct_tensor *mask, double value) {
  CT_HANDLE(ref(t).masked_fill(ref(mask), value))
}
ct_tensor *ct_masked_select(const ct_tensor *t, const ct_tensor *mask) {
  CT_HANDLE(torch::masked_select(ref(t), ref(mask)))
}
ct_tensor *ct_where(const ct_tensor *condition, const ct_tensor *a, const ct_tensor *b) {
  CT_HANDLE(torch::where(ref(condition), ref(a), ref(b)))
}

// ---- elementwise, matmul ----
static torch::Tensor unary(int op, const torch::Tensor &t) {
  switch (op) {
    case CT_NEG: return -t;
    case CT_ABS: return t.abs();
    case CT_EXP: return t.exp();
    case CT_LOG: return t.log();
    case CT_SQRT: return t.sqrt();
    case CT_RELU: return torch::relu(t);
    case CT_SIGMOID: return torch::sigmoid(t);
    case CT_TANH: return torch::tanh(t);
    case CT_GELU: return torch::gelu(t);
    case CT_SIN: return t.sin();
    case CT_COS: return t.cos();
    case CT_FLOOR: return t.floor();
    case CT_SIGN: return t.sign();
    case CT_RSQRT: return t.rsqrt();
    case CT_LOGICAL_NOT: return t.logical_not();
  }
  throw std::invalid_argument("unknown unary op " + std::to_string(op));
}
static torch::Tensor binary(int op, const torch::Tensor &a, const torch::Tensor &b) {
  switch (op) {
    case CT_ADD: return a + b;
    case CT_SUB: return a - b;
    case CT_MUL: return a * b;
    case CT_DIV: return a / b;
    case CT_POW: return a.pow(b);
    case CT_MAXIMUM: return torch::maximum(a, b);
    case CT_MINIMUM: return torch::minimum(a, b);
    case CT_EQ: return a.eq(b);
    case CT_NE: return a.ne(b);
    case CT_LT: return a.lt(b);
    case CT_LE: return a.le(b);
    case CT_GT: return a.gt(b);
    case CT_GE: return a.ge(b);
    case CT_MATMUL: return torch::matmul(a, b);
    case CT_BMM: return torch::bmm(a, b);
    case CT_LOGICAL_AND: return a.logical_and(b);
    case CT_LOGICAL_OR: return a.logical_or(b);
  }
  throw std::invalid_argument("unknown binary op " + std::to_string(op));
}
static torch::Tensor binary_scalar(int op, const torch::Tensor &a, double s) {
  switch (op) {
    case CT_ADD: return a + s;
    case CT_SUB: return a - s;
    case CT_MUL: return a * s;
    case CT_DIV: return a / s;
    case CT_POW: return a.pow(s);
    case CT_MAXIMUM: return torch::clamp_min(a, s);
    case CT_MINIMUM: return torch::clamp_max(a, s);
    case CT_EQ: return a.eq(s);
    case CT_NE: return a.ne(s);
    case CT_LT: return a.lt(s);
    case CT_LE: return a.le(s);
    case CT_GT: return a.gt(s);
    case CT_GE: return a.ge(s);
    case CT_RSUB: return torch::rsub(a, s);
    case CT_RDIV: return torch::reciprocal(a) * s;
  }
  throw std::invalid_argument("op " + std::to_string(op) + " has no scalar form");
}
ct_tensor *ct_unary(int op, const ct_tensor *t) { CT_HANDLE(unary(op, ref(t))) }
ct_tensor *ct_binary(int op, const ct_tensor *a, const ct_tensor *b) { CT_HANDLE(binary(op, ref(a), ref(b))) }
ct_tensor *ct_binary_scalar(int op, const ct_tensor *a, double s) { CT_HANDLE(binary_scalar(op, ref(a), s)) }
ct_tensor *ct_leaky_relu(const ct_tensor *t, double negative_slope) {
  CT_HANDLE(torch::leaky_relu(ref(t), negative_slope))
}
ct_tensor *ct_clamp(const ct_tensor *t, double min, int has_min, double max, int has_max) {
  CT_HANDLE(torch::clamp(ref(t), has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                         has_max ? c10::optional<at::Scalar>(max) : c10::nullopt))
}
ct_tensor *ct_softmax(const ct_tensor *t, int64_t dim) { CT_HANDLE(torch::softmax(ref(t), dim)) }
ct_tensor *ct_log_softmax(const ct_tensor *t, int64_t dim) { CT_HANDLE(torch::log_softmax(ref(t), dim)) }

// ---- reductions ----
static torch::Tensor reduce(int op, const torch::Tensor &t, const int64_t *dims, int ndims, bool keepdim) {
  if (ndims == 0) {
    switch (op) {
      case CT_SUM: return t.sum();
      case CT_MEAN: return t.mean();
      case CT_MAX: return t.max();
      case CT_MIN: return t.min();
      case CT_PROD: return t.prod();
    }
    throw std::invalid_argument("unknown reduction " + std::to_string(op));
  }
  auto d = shape_of(dims, ndims);
  switch (op) {
    case CT_SUM: return t.sum(d, keepdim);
    case CT_MEAN: return t.mean(d, keepdim);
    case CT_MAX: return t.amax(d, keepdim);
    case CT_MIN: return t.amin(d, keepdim);
  }
  throw std::invalid_argument("reduction " + std::to_string(op) + " has no form over dims");
}
ct_tensor *ct_reduce(int op, const ct_tensor *t, const int64_t *dims, int ndims, int keepdim) {
  CT_HANDLE(reduce(op, ref(t), dims, ndims, keepdim != 0))
}
int ct_max_dim(const ct_tensor *t, int64_t dim, int keepdim, ct_tensor **values, ct_tensor **indices) {
  CT_STATUS({
    auto r = ref(t).max(dim, keepdim != 0);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  })
}
int ct_min_dim(const ct_tensor *t, int64_t dim, int keepdim, ct_tensor **values, ct_tensor **indices) {
  CT_STATUS({
    auto r = ref(t).min(dim, keepdim != 0);
    *values = wrap(std::get<0>(r));
    *indices = wrap(std::get<1>(r));
  })
}
ct_tensor *ct_argmax(const ct_tensor *t, int64_t dim, int keepdim) { CT_HANDLE(ref(t).argmax(dim, keepdim != 0)) }
ct_tensor *ct_argmin(const ct_tensor *t, int64_t dim, int keepdim) { CT_HANDLE(ref(t).argmin(dim, keepdim != 0)) }
ct_tensor *ct_norm(const ct_tensor *t, double p, const int64_t *dims, int ndims, int keepdim) {
  CT_HANDLE(ndims == 0 ? ref(t).norm(p) : ref(t).norm(p, shape_of(dims, ndims), keepdim != 0))
}

// ---- neural-network functions ----
ct_tensor *ct_conv2d(const ct_tensor *x, const ct_tensor *weight, const ct_tensor *bias, int64_t stride_h,
                     int64_t stride_w, int64_t pad_h, int64_t pad_w, int64_t dilation_h, int64_t dilation_w,
                     int64_t groups) {
  CT_HANDLE(torch::conv2d(ref(x), ref(weight), optional_ref(bias), {stride_h, stride_w}, {pad_h, pad_w},
                          {dilation_h, dilation_w}, groups))
}
ct_tensor *ct_conv_transpose2d(const ct_tensor *x, const ct_tensor *weight, const ct_tensor *bias,
                               int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                               int64_t output_pad_h, int64_t output_pad_w, int64_t groups, int64_t dilation_h,
                               int64_t dilation_w) {
  CT_HANDLE(torch::conv_transpose2d(ref(x), ref(weight), optional_ref(bias), {stride_h, stride_w},
                                    {pad_h, pad_w}, {output_pad_h, output_pad_w}, groups,
                                    {dilation_h, dilation_w}))
}
ct_tensor *ct_batch_norm(const ct_tensor *x, const ct_tensor *weight, const ct_tensor *bias,
                         ct_tensor *running_mean, ct_tensor *running_var, int training, double momentum,
                         double eps) {
  CT_HANDLE(torch::batch_norm(ref(x), optional_ref(weight), optional_ref(bias), optional_ref(running_mean),
                              optional_ref(running_var), training != 0, momentum, eps, false))
}
ct_tensor *ct_group_norm(const ct_tensor *x, int64_t groups, const ct_tensor *weight, const ct_tensor *bias,
                         double eps) {
  CT_HANDLE(torch::group_norm(ref(x), groups, optional_ref(weight), optional_ref(bias), eps, false))
}
ct_tensor *ct_max_pool2d(const ct_tensor *x, int64_t kernel_h, int64_t kernel_w, int64_t stride_h,
                         int64_t stride_w, int64_t pad_h, int64_t pad_w, int ceil_mode) {
  CT_HANDLE(torch::max_pool2d(ref(x), {kernel_h, kernel_w}, {stride_h, stride_w}, {pad_h, pad_w}, {1, 1},
                              ceil_mode != 0))
}
ct_tensor *ct_avg_pool2d(const ct_tensor *x, int64_t kernel_h, int64_t kernel_w, int64_t stride_h,
                         int64_t stride_w, int64_t pad_h, int64_t pad_w, int ceil_mode, int count_include_pad) {
  CT_HANDLE(torch::avg_pool2d(ref(x), {kernel_h, kernel_w}, {stride_h, stride_w}, {pad_h, pad_w},
                              ceil_mode != 0, count_include_pad != 0))
}
ct_tensor *ct_adaptive_avg_pool2d(const ct_tensor *x, int64_t out_h, int64_t out_w) {
  CT_HANDLE(torch::adaptive_avg_pool2d(ref(x), {out_h, out_w}))
}
ct_tensor *ct_upsample_bilinear2d(const ct_tensor *x, int64_t out_h, int64_t out_w, int align_corners) {
  CT_HANDLE(torch::upsample_bilinear2d(ref(x), {out_h, out_w}, align_corners != 0))
}
ct_tensor *ct_dropout(const ct_tensor *x, double p, int training) { CT_HANDLE(torch::dropout(ref(x), p, training != 0)) }
ct_tensor *ct_mse_loss(const ct_tensor *input, const ct_tensor *target, int reduction) {
  CT_HANDLE(torch::mse_loss(ref(input), ref(target), reduction))
}
ct_tensor *ct_l1_loss(const ct_tensor *input, const ct_tensor *target, int reduction) {
  CT_HANDLE(torch::l1_loss(ref(input), ref(target), reduction))
}
ct_tensor *ct_smooth_l1_loss(const ct_tensor *input, const ct_tensor *target, int reduction, double beta) {
  CT_HANDLE(torch::smooth_l1_loss(ref(input), ref(target), reduction, beta))
}
ct_tensor *ct_cross_entropy(const ct_tensor *logits, const ct_tensor *target, int reduction, int64_t ignore_index,
                            double label_smoothing) {
  CT_HANDLE(torch::cross_entropy_loss(ref(logits), ref(target), {}, reduction, ignore_index, label_smoothing))
}

// ---- distances between indexed rows ----
namespace {

// d_k = sqrt(|a[ia_k] - b[ib_k]|^2 + eps) for float32 CPU row tables a [N, D], b [M, D], fused: the
// composed ops (two index_selects, a difference, a square, a sum, a square root) make five [K, D]
// temporaries and, in libtorch 1.13, an index_add_ per selected row in the backward pass. The
// backward skips pairs whose incoming gradient is zero (non-matches past a hinge's margin).
struct RowDistance : public torch::autograd::Function<RowDistance> {
  static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &a, const torch::Tensor &b,
                               const torch::Tensor &ia, const torch::Tensor &ib, double eps) {
    auto iac = ia.contiguous(), ibc = ib.contiguous();
    const int64_t k = iac.size(0), d = a.size(1);
    auto out = torch::empty({k}, a.options().memory_format(torch::MemoryFormat::Contiguous));
    // Any strides (a transposed view works; the descriptor loss passes contiguous rows, which were
    // no slower to copy than to read strided).
    const int64_t a0 = a.stride(0), a1 = a.stride(1), b0 = b.stride(0), b1 = b.stride(1);
    const float *pa = a.data_ptr<float>(), *pb = b.data_ptr<float>();
    const int64_t *pia = iac.data_ptr<int64_t>(), *pib = ibc.data_ptr<int64_t>();
    float *po = out.data_ptr<float>();
    at::parallel_for(0, k, 4096, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const float *ra = pa + pia[i] * a0, *rb = pb + pib[i] * b0;
        float s = 0;
        for (int64_t c = 0; c < d; ++c) {
          const float t = ra[c * a1] - rb[c * b1];
          s += t * t;
        }
        po[i] = std::sqrt(s + static_cast<float>(eps));
      }
    });
    ctx->save_for_backward({a, b, iac, ibc, out});
    return out;
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext *ctx,
                                               torch::autograd::tensor_list grads) {
    auto saved = ctx->get_saved_variables();
    const auto &a = saved[0], &b = saved[1], &iac = saved[2], &ibc = saved[3], &out = saved[4];
    auto g = grads[0].contiguous();
    const int64_t k = iac.size(0), d = a.size(1);
    auto ga = torch::zeros_like(a), gb = torch::zeros_like(b);
    const int64_t a0 = a.stride(0), a1 = a.stride(1), b0 = b.stride(0), b1 = b.stride(1);
    const int64_t ga0 = ga.stride(0), ga1 = ga.stride(1), gb0 = gb.stride(0), gb1 = gb.stride(1);
    const float *pa = a.data_ptr<float>(), *pb = b.data_ptr<float>(), *pg = g.data_ptr<float>(),
                *po = out.data_ptr<float>();
    const int64_t *pia = iac.data_ptr<int64_t>(), *pib = ibc.data_ptr<int64_t>();
    float *pga = ga.data_ptr<float>(), *pgb = gb.data_ptr<float>();
    // Serial: rows repeat across pairs, so a parallel scatter would race.
    for (int64_t i = 0; i < k; ++i) {
      if (pg[i] == 0) continue;
      const float w = pg[i] / po[i];
      const float *ra = pa + pia[i] * a0, *rb = pb + pib[i] * b0;
      float *sa = pga + pia[i] * ga0, *sb = pgb + pib[i] * gb0;
      for (int64_t c = 0; c < d; ++c) {
        const float t = w * (ra[c * a1] - rb[c * b1]);
        sa[c * ga1] += t;
        sb[c * gb1] -= t;
      }
    }
    return {ga, gb, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

void check_rows(const torch::Tensor &rows, const torch::Tensor &index, const char *name) {
  if (index.dim() != 1 || index.scalar_type() != torch::kInt64)
    throw std::invalid_argument(std::string("row_distance: ") + name + " indices must be a 1-D int64 tensor");
  if (index.numel() == 0) return;
  const int64_t lo = index.min().item<int64_t>(), hi = index.max().item<int64_t>();
  if (lo < 0 || hi >= rows.size(0))
    throw std::out_of_range(std::string("row_distance: ") + name + " index " + std::to_string(lo < 0 ? lo : hi) +
                            " is out of range for " + std::to_string(rows.size(0)) + " rows");
}

torch::Tensor row_distance(const torch::Tensor &a, const torch::Tensor &b, const torch::Tensor &ia,
                           const torch::Tensor &ib, double eps) {
  if (a.dim() != 2 || b.dim() != 2 || a.size(1) != b.size(1))
    throw std::invalid_argument("row_distance: a and b must be [N, D] and [M, D] with the same D, got " +
                                c10::str(a.sizes()) + " and " + c10::str(b.sizes()));
  if (ia.sizes() != ib.sizes())
    throw std::invalid_argument("row_distance: the index tensors differ in size: " + c10::str(ia.sizes()) + " and " +
                                c10::str(ib.sizes()));
  check_rows(a, ia, "a's");
  check_rows(b, ib, "b's");
  const bool fused = a.device().is_cpu() && b.device().is_cpu() && a.scalar_type() == torch::kFloat32 &&
                     b.scalar_type() == torch::kFloat32;
  if (!fused) return (a.index_select(0, ia) - b.index_select(0, ib)).pow(2).sum(1).add(eps).sqrt();
  return RowDistance::apply(a, b, ia.to(a.device()), ib.to(b.device()), eps);
}

}  // namespace

ct_tensor *ct_row_distance(const ct_tensor *a, const ct_tensor *b, const ct_tensor *ia, const ct_tensor *ib,
                           double eps) {
  CT_HANDLE(row_distance(ref(a), ref(b), ref(ia), ref(ib), eps))
}

// ---- autograd ----
int ct_set_requires_grad(ct_tensor *t, int requires_grad) {
  CT_STATUS(const_cast<torch::Tensor &>(ref(t)).requires_grad_(requires_grad != 0))
}
int ct_backward(const ct_tensor *t, const ct_tensor *grad, int retain_graph) {
  CT_STATUS(ref(t).backward(grad ? ref(grad) : torch::Tensor(),
                            retain_graph ? c10::optional<bool>(true) : c10::nullopt))
}
ct_tensor *ct_grad(const ct_tensor *t) { CT_HANDLE(ref(t).grad()) }
int ct_zero_grad(ct_tensor *t, int set_to_none) {
  CT_STATUS({
    auto &g = const_cast<torch::Tensor &>(ref(t)).mutable_grad();
    if (g.defined()) {
      if (set_to_none) {
        g = torch::Tensor();
      } else {
        g = g.detach();
        g.zero_();
      }
    }
  })
}
ct_guard *ct_no_grad_begin(void) {
  try {
    return new ct_guard();
  } catch (...) {
    record_current_exception();
    return nullptr;
  }
}
void ct_no_grad_end(ct_guard *g) { delete g; }
int ct_grad_enabled(void) { return torch::GradMode::is_enabled() ? 1 : 0; }

// ---- in-place updates ----
static torch::Tensor &mut(ct_tensor *t) {
  if (t == nullptr) throw std::invalid_argument("null tensor handle");
  return t->t;
}
int ct_add_(ct_tensor *t, const ct_tensor *other, double alpha) { CT_STATUS(mut(t).add_(ref(other), alpha)) }
int ct_add_scalar_(ct_tensor *t, double s) { CT_STATUS(mut(t).add_(s)) }
int ct_mul_scalar_(ct_tensor *t, double s) { CT_STATUS(mut(t).mul_(s)) }
int ct_mul_(ct_tensor *t, const ct_tensor *other) { CT_STATUS(mut(t).mul_(ref(other))) }
int ct_addcmul_(ct_tensor *t, const ct_tensor *a, const ct_tensor *b, double value) {
  CT_STATUS(mut(t).addcmul_(ref(a), ref(b), value))
}
int ct_addcdiv_(ct_tensor *t, const ct_tensor *a, const ct_tensor *b, double value) {
  CT_STATUS(mut(t).addcdiv_(ref(a), ref(b), value))
}
int ct_copy_(ct_tensor *t, const ct_tensor *source) { CT_STATUS(mut(t).copy_(ref(source))) }
int ct_fill_(ct_tensor *t, double value) { CT_STATUS(mut(t).fill_(value)) }
int ct_uniform_(ct_tensor *t, double low, double high) { CT_STATUS(mut(t).uniform_(low, high)) }
int ct_normal_(ct_tensor *t, double mean, double std) { CT_STATUS(mut(t).normal_(mean, std)) }

// ---- checkpoints ----
int ct_save(const char *path, const char *const *names, const ct_tensor *const *tensors, int n) {
  try {
    if (path == nullptr) throw std::invalid_argument("null path");
    c10::Dict<std::string, torch::Tensor> dict;
    for (int i = 0; i < n; ++i) {
      std::string name(names[i]);
      if (dict.contains(name)) throw std::invalid_argument("duplicate tensor name '" + name + "'");
      // Detached CPU copies: the file never holds autograd state or device placement.
      dict.insert(name, ref(tensors[i]).detach().to(torch::kCPU).contiguous());
    }
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
    const std::string tmp = std::string(path) + ".partial";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) throw std::runtime_error("cannot open '" + tmp + "' for writing");
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      out.close();
      if (!out) throw std::runtime_error("cannot write '" + tmp + "'");
    }
    if (std::rename(tmp.c_str(), path) != 0) throw std::runtime_error(std::string("cannot rename to '") + path + "'");
    return 0;
  } catch (...) {
    record_current_exception();
    return -1;
  }
}

ct_archive *ct_load(const char *path) {
  try {
    if (path == nullptr) throw std::invalid_argument("null path");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(std::string("cannot open '") + path + "'");
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < 4 || bytes[0] != 'P' || bytes[1] != 'K')
      throw std::runtime_error(std::string("'") + path + "' is not a torch checkpoint (no zip header)");
    try {
      verify_zip(bytes);
    } catch (const std::exception &e) {
      throw std::runtime_error(std::string("'") + path + "' is corrupt: " + e.what());
    }
    const c10::IValue value = torch::pickle_load(bytes);
    if (!value.isGenericDict()) throw std::runtime_error(std::string("'") + path + "' does not hold a dict of tensors");
    auto archive = std::make_unique<ct_archive>();
    for (const auto &entry : value.toGenericDict()) {
      if (!entry.key().isString() || !entry.value().isTensor())
        throw std::runtime_error(std::string("'") + path + "' holds an entry that is not a (name, tensor) pair");
      archive->names.push_back(entry.key().toStringRef());
      archive->tensors.push_back(entry.value().toTensor());
    }
    return archive.release();
  } catch (...) {
    record_current_exception();
    return nullptr;
  }
}
int ct_archive_count(const ct_archive *a) { return a ? static_cast<int>(a->names.size()) : -1; }
const char *ct_archive_name(const ct_archive *a, int i) {
  if (!a || i < 0 || i >= static_cast<int>(a->names.size())) return nullptr;
  return a->names[static_cast<size_t>(i)].c_str();
}
ct_tensor *ct_archive_tensor(const ct_archive *a, int i) {
  try {
    if (!a || i < 0 || i >= static_cast<int>(a->tensors.size())) throw std::out_of_range("archive index out of range");
    return wrap(a->tensors[static_cast<size_t>(i)]);
  } catch (...) {
    record_current_exception();
    return nullptr;
  }
}
void ct_archive_free(ct_archive *a) { delete a; }

}  // extern "C"
