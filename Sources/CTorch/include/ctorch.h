// CTorch: a pure-C API over libtorch (Debian libtorch-dev 1.13, C++17), for the Swift module Torch.
//
// Conventions (all functions):
//  * Tensors are opaque handles (`ct_tensor *`). Every function that returns one returns a NEW handle
//    that the caller owns and frees with ct_tensor_free (NULL is accepted). Handles share storage the
//    way torch::Tensor does (views alias their base).
//  * No C++ exception crosses this header: each call catches everything. On failure a function returns
//    NULL (handles), -1 (int status / counts) and ct_last_error() holds libtorch's message. The error
//    string is thread-local and stays valid until the next failing call on the same thread.
//  * Operations record autograd history exactly as libtorch does; ct_no_grad_begin turns it off for the
//    calling thread until the guard is ended.
#ifndef CTORCH_H
#define CTORCH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_tensor ct_tensor;    // owns one torch::Tensor (possibly undefined, e.g. a missing grad)
typedef struct ct_guard ct_guard;      // owns a torch::NoGradGuard
typedef struct ct_archive ct_archive;  // a loaded checkpoint: names and tensors

enum { CT_FLOAT32 = 0, CT_INT64 = 1, CT_BOOL = 2 };
enum { CT_CPU = 0, CT_CUDA = 1 };
/// Loss reductions; the values are at::Reduction's.
enum { CT_REDUCTION_NONE = 0, CT_REDUCTION_MEAN = 1, CT_REDUCTION_SUM = 2 };

enum ct_unary_op {
  CT_NEG = 0, CT_ABS, CT_EXP, CT_LOG, CT_SQRT, CT_RELU, CT_SIGMOID, CT_TANH, CT_GELU,
  CT_SIN, CT_COS, CT_FLOOR, CT_SIGN, CT_RSQRT, CT_LOGICAL_NOT
};
enum ct_binary_op {
  CT_ADD = 0, CT_SUB, CT_MUL, CT_DIV, CT_POW, CT_MAXIMUM, CT_MINIMUM,
  CT_EQ, CT_NE, CT_LT, CT_LE, CT_GT, CT_GE, CT_MATMUL, CT_BMM, CT_LOGICAL_AND, CT_LOGICAL_OR,
  CT_RSUB, CT_RDIV  // scalar forms only: s - t, s / t
};
enum ct_reduce_op { CT_SUM = 0, CT_MEAN, CT_MAX, CT_MIN, CT_PROD };

// ---- library state ----
const char *ct_last_error(void);
const char *ct_torch_version(void);
/// Sets torch's intra-op thread count to n (>= 1) and pins OpenBLAS, when loaded, to one thread.
int ct_set_num_threads(int n);
int ct_get_num_threads(void);
/// Flushes denormal floats to zero (and treats denormal inputs as zero) on the calling thread and
/// the workers of its OpenMP team when on != 0; back to IEEE behaviour when 0. Returns 1 when the CPU
/// supports it, 0 when not (nothing changed), -1 on error.
int ct_set_flush_denormal(int on);
/// 1 when the calling thread flushes denormal floats to zero (x86: MXCSR's FTZ and DAZ bits both set), else 0.
int ct_get_flush_denormal(void);
int ct_manual_seed(uint64_t seed);
int ct_cuda_is_available(void);

// ---- handles and properties ----
void ct_tensor_free(ct_tensor *t);
int ct_defined(const ct_tensor *t);
int ct_ndim(const ct_tensor *t);
/// Writes min(ndim, capacity) sizes (or strides); returns ndim, -1 on error.
int ct_sizes(const ct_tensor *t, int64_t *out, int capacity);
int ct_strides(const ct_tensor *t, int64_t *out, int capacity);
int64_t ct_numel(const ct_tensor *t);
int ct_dtype(const ct_tensor *t);   // CT_FLOAT32, CT_INT64, CT_BOOL, or -1 for another dtype
int ct_device(const ct_tensor *t);  // CT_CPU or CT_CUDA
int ct_is_contiguous(const ct_tensor *t);
int ct_requires_grad(const ct_tensor *t);
/// Copies the elements (row-major, converted to float32 / int64, moved to the CPU) into out; at most
/// capacity elements. Returns the number copied, -1 on error.
int64_t ct_copy_to_floats(const ct_tensor *t, float *out, int64_t capacity);
int64_t ct_copy_to_int64s(const ct_tensor *t, int64_t *out, int64_t capacity);
/// The single element of a one-element tensor as a double.
int ct_item(const ct_tensor *t, double *out);

// ---- creation ----
ct_tensor *ct_zeros(const int64_t *shape, int ndim, int dtype, int device);
ct_tensor *ct_ones(const int64_t *shape, int ndim, int dtype, int device);
ct_tensor *ct_full(const int64_t *shape, int ndim, double value, int dtype, int device);
/// Copies prod(shape) elements from data.
ct_tensor *ct_from_floats(const float *data, const int64_t *shape, int ndim, int device);
ct_tensor *ct_from_int64s(const int64_t *data, const int64_t *shape, int ndim, int device);
ct_tensor *ct_arange(double start, double end, double step, int dtype, int device);
/// Uniform on [0, 1) / standard normal float32. use_seed != 0: a private generator seeded with seed
/// (repeatable, leaves the global generator alone); otherwise torch's global generator.
ct_tensor *ct_rand(const int64_t *shape, int ndim, uint64_t seed, int use_seed, int device);
ct_tensor *ct_randn(const int64_t *shape, int ndim, uint64_t seed, int use_seed, int device);
ct_tensor *ct_randperm(int64_t n, uint64_t seed, int use_seed, int device);

// ---- conversion ----
ct_tensor *ct_to(const ct_tensor *t, int dtype, int device);
ct_tensor *ct_contiguous(const ct_tensor *t);
/// A 4-D tensor laid out channels-last (NHWC in memory, NCHW in shape), or this one when it already is.
ct_tensor *ct_contiguous_channels_last(const ct_tensor *t);
/// 1 when a 4-D tensor is laid out channels-last, 0 otherwise, -1 on error.
int ct_is_channels_last(const ct_tensor *t);
ct_tensor *ct_clone(const ct_tensor *t);
ct_tensor *ct_detach(const ct_tensor *t);
/// A new handle to the same tensor (shares storage and autograd identity).
ct_tensor *ct_alias(const ct_tensor *t);

// ---- views and shape ----
ct_tensor *ct_reshape(const ct_tensor *t, const int64_t *shape, int ndim);
ct_tensor *ct_view(const ct_tensor *t, const int64_t *shape, int ndim);
ct_tensor *ct_permute(const ct_tensor *t, const int64_t *dims, int ndim);
ct_tensor *ct_transpose(const ct_tensor *t, int64_t dim0, int64_t dim1);
/// has_dim == 0: removes every size-1 dimension.
ct_tensor *ct_squeeze(const ct_tensor *t, int64_t dim, int has_dim);
ct_tensor *ct_unsqueeze(const ct_tensor *t, int64_t dim);
ct_tensor *ct_flatten(const ct_tensor *t, int64_t start_dim, int64_t end_dim);
ct_tensor *ct_narrow(const ct_tensor *t, int64_t dim, int64_t start, int64_t length);
ct_tensor *ct_slice(const ct_tensor *t, int64_t dim, int64_t start, int64_t end, int64_t step);
ct_tensor *ct_select(const ct_tensor *t, int64_t dim, int64_t index);
ct_tensor *ct_expand(const ct_tensor *t, const int64_t *shape, int ndim);
ct_tensor *ct_cat(const ct_tensor *const *ts, int n, int64_t dim);
ct_tensor *ct_stack(const ct_tensor *const *ts, int n, int64_t dim);

// ---- indexing ----
ct_tensor *ct_gather(const ct_tensor *t, int64_t dim, const ct_tensor *index);
ct_tensor *ct_index_select(const ct_tensor *t, int64_t dim, const ct_tensor *index);
ct_tensor *ct_masked_fill(const ct_tensor *t, const ct_tensor *mask, double value);
ct_tensor *ct_masked_select(const ct_tensor *t, const ct_tensor *mask);
ct_tensor *ct_where(const ct_tensor *condition, const ct_tensor *a, const ct_tensor *b);

// ---- elementwise, matmul ----
ct_tensor *ct_unary(int op, const ct_tensor *t);
ct_tensor *ct_binary(int op, const ct_tensor *a, const ct_tensor *b);
ct_tensor *ct_binary_scalar(int op, const ct_tensor *a, double s);
ct_tensor *ct_leaky_relu(const ct_tensor *t, double negative_slope);
/// has_min / has_max == 0: that side is unbounded.
ct_tensor *ct_clamp(const ct_tensor *t, double min, int has_min, double max, int has_max);
ct_tensor *ct_softmax(const ct_tensor *t, int64_t dim);
ct_tensor *ct_log_softmax(const ct_tensor *t, int64_t dim);

// ---- reductions ----
/// Over all elements (ndims == 0) or over dims (CT_PROD: all elements only; CT_MAX/CT_MIN over dims
/// give values only, see ct_max_dim for indices).
ct_tensor *ct_reduce(int op, const ct_tensor *t, const int64_t *dims, int ndims, int keepdim);
/// Max/min along one dimension: values and int64 indices (two new handles).
int ct_max_dim(const ct_tensor *t, int64_t dim, int keepdim, ct_tensor **values, ct_tensor **indices);
int ct_min_dim(const ct_tensor *t, int64_t dim, int keepdim, ct_tensor **values, ct_tensor **indices);
ct_tensor *ct_argmax(const ct_tensor *t, int64_t dim, int keepdim);
ct_tensor *ct_argmin(const ct_tensor *t, int64_t dim, int keepdim);
/// p-norm over all elements (ndims == 0) or over dims.
ct_tensor *ct_norm(const ct_tensor *t, double p, const int64_t *dims, int ndims, int keepdim);

// ---- neural-network functions (NCHW) ----
ct_tensor *ct_conv2d(const ct_tensor *x, const ct_tensor *weight, const ct_tensor *bias /* nullable */,
                     int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                     int64_t dilation_h, int64_t dilation_w, int64_t groups);
ct_tensor *ct_conv_transpose2d(const ct_tensor *x, const ct_tensor *weight, const ct_tensor *bias,
                               int64_t stride_h, int64_t stride_w, int64_t pad_h, int64_t pad_w,
                               int64_t output_pad_h, int64_t output_pad_w, int64_t groups,
                               int64_t dilation_h, int64_t dilation_w);
/// training != 0 normalizes with batch statistics and updates running_mean/var IN PLACE
/// (running = (1 - momentum) running + momentum batch); otherwise uses the running statistics.
/// weight, bias, running_mean and running_var may be NULL.
ct_tensor *ct_batch_norm(const ct_tensor *x, const ct_tensor *weight, const ct_tensor *bias,
                         ct_tensor *running_mean, ct_tensor *running_var, int training,
                         double momentum, double eps);
ct_tensor *ct_group_norm(const ct_tensor *x, int64_t groups, const ct_tensor *weight,
                         const ct_tensor *bias, double eps);
ct_tensor *ct_max_pool2d(const ct_tensor *x, int64_t kernel_h, int64_t kernel_w, int64_t stride_h,
                         int64_t stride_w, int64_t pad_h, int64_t pad_w, int ceil_mode);
ct_tensor *ct_avg_pool2d(const ct_tensor *x, int64_t kernel_h, int64_t kernel_w, int64_t stride_h,
                         int64_t stride_w, int64_t pad_h, int64_t pad_w, int ceil_mode,
                         int count_include_pad);
ct_tensor *ct_adaptive_avg_pool2d(const ct_tensor *x, int64_t out_h, int64_t out_w);
ct_tensor *ct_upsample_bilinear2d(const ct_tensor *x, int64_t out_h, int64_t out_w, int align_corners);
ct_tensor *ct_dropout(const ct_tensor *x, double p, int training);
ct_tensor *ct_mse_loss(const ct_tensor *input, const ct_tensor *target, int reduction);
ct_tensor *ct_l1_loss(const ct_tensor *input, const ct_tensor *target, int reduction);
ct_tensor *ct_smooth_l1_loss(const ct_tensor *input, const ct_tensor *target, int reduction, double beta);
/// logits [N, C] (or [N, C, d...]), target int64 class indices [N] (or [N, d...]).
ct_tensor *ct_cross_entropy(const ct_tensor *logits, const ct_tensor *target, int reduction,
                            int64_t ignore_index, double label_smoothing);

/// d_k = sqrt(|a[ia_k] - b[ib_k]|^2 + eps) for row tables a [N, D], b [M, D] and int64 indices ia, ib
/// [K]; differentiable in a and b. Fused for float32 CPU tensors; composed ops otherwise.
ct_tensor *ct_row_distance(const ct_tensor *a, const ct_tensor *b, const ct_tensor *ia, const ct_tensor *ib,
                           double eps);

// ---- autograd ----
int ct_set_requires_grad(ct_tensor *t, int requires_grad);
/// grad may be NULL for a one-element t.
int ct_backward(const ct_tensor *t, const ct_tensor *grad, int retain_graph);
/// A handle to t's .grad (an undefined tensor, ct_defined == 0, when there is none).
ct_tensor *ct_grad(const ct_tensor *t);
/// set_to_none != 0 drops the gradient; otherwise zeroes it in place.
int ct_zero_grad(ct_tensor *t, int set_to_none);
ct_guard *ct_no_grad_begin(void);
void ct_no_grad_end(ct_guard *g);
int ct_grad_enabled(void);

// ---- in-place updates (on parameters: call inside a no-grad scope) ----
int ct_add_(ct_tensor *t, const ct_tensor *other, double alpha);  // t += alpha * other
int ct_add_scalar_(ct_tensor *t, double s);
int ct_mul_scalar_(ct_tensor *t, double s);
int ct_mul_(ct_tensor *t, const ct_tensor *other);
int ct_addcmul_(ct_tensor *t, const ct_tensor *a, const ct_tensor *b, double value);  // t += value*a*b
int ct_addcdiv_(ct_tensor *t, const ct_tensor *a, const ct_tensor *b, double value);  // t += value*a/b
int ct_copy_(ct_tensor *t, const ct_tensor *source);
int ct_fill_(ct_tensor *t, double value);
int ct_uniform_(ct_tensor *t, double low, double high);
int ct_normal_(ct_tensor *t, double mean, double std);

// ---- checkpoints: named tensors, torch.save-compatible (a pickled dict of str -> Tensor) ----
int ct_save(const char *path, const char *const *names, const ct_tensor *const *tensors, int n);
/// NULL (with the message) for a missing, unreadable or malformed file.
ct_archive *ct_load(const char *path);
int ct_archive_count(const ct_archive *a);
const char *ct_archive_name(const ct_archive *a, int i);
ct_tensor *ct_archive_tensor(const ct_archive *a, int i);
void ct_archive_free(ct_archive *a);

#ifdef __cplusplus
}
#endif
#endif
