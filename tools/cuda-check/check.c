// The CTorch shim's CUDA path, checked against its CPU path on the same inputs (docs/torch.md,
// "CUDA"). Debian's libtorch has no CUDA, so neither the Swift tests nor CI can run this; build it
// against a CUDA-enabled libtorch on a machine with a GPU: tools/cuda-check/run.sh.
//
// The same small network step runs on both devices from the same CPU-made inputs: a strided
// convolution, batch norm in training mode (running statistics updated in place), ReLU, a 1×1
// convolution, bilinear upsampling, the row-distance kernel (ct_row_distance), a softmax cross-entropy
// over one image's pixels, backward. Every output, gradient and running statistic is compared, then a
// checkpoint written from CUDA tensors is read back. Exit status: 0 all agree, 1 a check failed,
// 3 no CUDA device.
#include "ctorch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The device compared with the CPU; -DCHECK_DEVICE=CT_CPU compares the CPU with itself (a dry run
// of this program where libtorch has no CUDA).
#ifndef CHECK_DEVICE
#define CHECK_DEVICE CT_CUDA
#endif

static int failures = 0;

static ct_tensor *must(ct_tensor *t, const char *what) {
  if (t == NULL) {
    printf("FAIL %s: %s\n", what, ct_last_error());
    exit(1);
  }
  return t;
}

static void must_status(int status, const char *what) {
  if (status < 0) {
    printf("FAIL %s: %s\n", what, ct_last_error());
    exit(1);
  }
}

static float *floats(const ct_tensor *t, int64_t *n) {
  *n = ct_numel(t);
  float *out = malloc(sizeof(float) * (size_t)(*n > 0 ? *n : 1));
  if (ct_copy_to_floats(t, out, *n) != *n) {
    printf("FAIL copy to floats: %s\n", ct_last_error());
    exit(1);
  }
  return out;
}

// Largest |cpu − cuda| relative to the largest |cpu| (or 1 when that is smaller).
static void compare(const char *name, const ct_tensor *cpu, const ct_tensor *cuda, double tolerance) {
  int64_t n1, n2;
  float *a = floats(cpu, &n1), *b = floats(cuda, &n2);
  if (ct_device(cuda) != CHECK_DEVICE) {
    printf("FAIL %-28s is not on the device checked\n", name);
    failures++;
  }
  if (n1 != n2) {
    printf("FAIL %-28s %lld against %lld elements\n", name, (long long)n1, (long long)n2);
    failures++;
  } else {
    double largest = 1, difference = 0;
    for (int64_t i = 0; i < n1; i++) {
      if (fabs(a[i]) > largest) largest = fabs(a[i]);
      if (!(fabs(a[i] - b[i]) <= difference)) difference = fabs(a[i] - b[i]);  // NaN counts
    }
    const int ok = difference / largest <= tolerance;
    printf("%s %-28s %8lld elements, largest difference %.3g (relative %.3g, tolerance %.0e)\n", ok ? "ok  " : "FAIL", name,
           (long long)n1, difference, difference / largest, tolerance);
    if (!ok) failures++;
  }
  free(a);
  free(b);
}

enum { N = 2, C = 3, H = 48, W = 64, F = 16, D = 8, K = 200 };

typedef struct {
  ct_tensor *loss, *descriptors, *w1, *gamma, *beta, *w2, *mean, *var;
} Step;

// One forward and backward pass on `device` from the CPU tensors given (copied there first).
static Step step(int device, ct_tensor *x0, ct_tensor *w10, ct_tensor *w20, ct_tensor *ia0, ct_tensor *ib0) {
  Step s;
  ct_tensor *x = must(ct_to(x0, CT_FLOAT32, device), "to device");
  ct_tensor *ia = must(ct_to(ia0, CT_INT64, device), "indices to device");
  ct_tensor *ib = must(ct_to(ib0, CT_INT64, device), "indices to device");
  // Copies: `to` returns the tensor itself when it is already there, and the leaves must not be the inputs.
  ct_tensor *w1 = must(ct_to(w10, CT_FLOAT32, device), "w1 to device"), *w2 = must(ct_to(w20, CT_FLOAT32, device), "w2 to device");
  s.w1 = must(ct_clone(w1), "clone");
  s.w2 = must(ct_clone(w2), "clone");
  ct_tensor_free(w1);
  ct_tensor_free(w2);
  const int64_t channels[1] = {F};
  s.gamma = must(ct_ones(channels, 1, CT_FLOAT32, device), "ones");
  s.beta = must(ct_zeros(channels, 1, CT_FLOAT32, device), "zeros");
  s.mean = must(ct_zeros(channels, 1, CT_FLOAT32, device), "zeros");
  s.var = must(ct_ones(channels, 1, CT_FLOAT32, device), "ones");
  ct_tensor *leaves[4] = {s.w1, s.w2, s.gamma, s.beta};
  for (int i = 0; i < 4; i++) must_status(ct_set_requires_grad(leaves[i], 1), "requires grad");

  ct_tensor *h = must(ct_conv2d(x, s.w1, NULL, 2, 2, 1, 1, 1, 1, 1), "conv2d");
  ct_tensor *n = must(ct_batch_norm(h, s.gamma, s.beta, s.mean, s.var, 1, 0.1, 1e-5), "batch_norm");
  ct_tensor *r = must(ct_unary(CT_RELU, n), "relu");
  ct_tensor *e = must(ct_conv2d(r, s.w2, NULL, 1, 1, 0, 0, 1, 1, 1), "conv2d 1x1");
  s.descriptors = must(ct_upsample_bilinear2d(e, H, W, 0), "upsample");
  // Image 0's and image 1's descriptors as pixel tables [H·W, D].
  ct_tensor *tables[2];
  for (int k = 0; k < 2; k++) {
    ct_tensor *one = must(ct_select(s.descriptors, 0, k), "select");
    const int64_t shape[2] = {D, H * W};
    ct_tensor *flat = must(ct_reshape(one, shape, 2), "reshape");
    tables[k] = must(ct_transpose(flat, 0, 1), "transpose");
    ct_tensor_free(one);
    ct_tensor_free(flat);
  }
  ct_tensor *distance = must(ct_row_distance(tables[0], tables[1], ia, ib, 1e-6), "row_distance");
  ct_tensor *match = must(ct_reduce(CT_MEAN, distance, NULL, 0, 0), "mean");
  // A softmax over image 1's pixels for each of image 0's query pixels (the distributional term's shape).
  ct_tensor *queries = must(ct_index_select(tables[0], 0, ia), "index_select");
  ct_tensor *bt = must(ct_transpose(tables[1], 0, 1), "transpose");
  ct_tensor *logits = must(ct_binary(CT_MATMUL, queries, bt), "matmul");
  ct_tensor *xent = must(ct_cross_entropy(logits, ib, CT_REDUCTION_MEAN, -100, 0), "cross_entropy");
  s.loss = must(ct_binary(CT_ADD, match, xent), "add");
  must_status(ct_backward(s.loss, NULL, 0), "backward");
  ct_tensor *temporaries[] = {x, ia, ib, h, n, r, e, tables[0], tables[1], distance, match, queries, bt, logits, xent};
  for (size_t i = 0; i < sizeof temporaries / sizeof *temporaries; i++) ct_tensor_free(temporaries[i]);
  return s;
}

int main(int argc, char **argv) {
  const char *folder = argc > 1 ? argv[1] : "/tmp";
  printf("libtorch %s, CUDA available: %s\n", ct_torch_version(), ct_cuda_is_available() == 1 ? "yes" : "no");
  if (CHECK_DEVICE == CT_CUDA && ct_cuda_is_available() != 1) return 3;

  const int64_t xs[4] = {N, C, H, W}, w1s[4] = {F, C, 3, 3}, w2s[4] = {D, F, 1, 1};
  ct_tensor *x = must(ct_randn(xs, 4, 1, 1, CT_CPU), "randn");
  ct_tensor *w1 = must(ct_randn(w1s, 4, 2, 1, CT_CPU), "randn");
  ct_tensor *w2 = must(ct_randn(w2s, 4, 3, 1, CT_CPU), "randn");
  int64_t a[K], b[K];
  for (int k = 0; k < K; k++) {
    a[k] = (k * 977) % (H * W);
    b[k] = (k * 613 + 5) % (H * W);
  }
  const int64_t ks[1] = {K};
  ct_tensor *ia = must(ct_from_int64s(a, ks, 1, CT_CPU), "indices");
  ct_tensor *ib = must(ct_from_int64s(b, ks, 1, CT_CPU), "indices");

  Step cpu = step(CT_CPU, x, w1, w2, ia, ib), gpu = step(CHECK_DEVICE, x, w1, w2, ia, ib);
  // cuDNN may run the float32 convolutions in TF32 (10-bit mantissa) on Ampere and later: 1e-2.
  const double tolerance = 1e-2;
  compare("loss", cpu.loss, gpu.loss, tolerance);
  compare("descriptors", cpu.descriptors, gpu.descriptors, tolerance);
  compare("running mean", cpu.mean, gpu.mean, tolerance);
  compare("running variance", cpu.var, gpu.var, tolerance);
  const char *names[4] = {"grad conv weight", "grad 1x1 weight", "grad bn weight", "grad bn bias"};
  ct_tensor *cpuLeaves[4] = {cpu.w1, cpu.w2, cpu.gamma, cpu.beta}, *gpuLeaves[4] = {gpu.w1, gpu.w2, gpu.gamma, gpu.beta};
  for (int i = 0; i < 4; i++) {
    ct_tensor *g1 = must(ct_grad(cpuLeaves[i]), "grad"), *g2 = must(ct_grad(gpuLeaves[i]), "grad");
    if (!ct_defined(g2)) {
      printf("FAIL %-28s no gradient on CUDA\n", names[i]);
      failures++;
    } else {
      compare(names[i], g1, g2, tolerance);
    }
    ct_tensor_free(g1);
    ct_tensor_free(g2);
  }

  // An Adam-like in-place update on the device, inside a no-grad scope.
  ct_guard *guard = ct_no_grad_begin();
  ct_tensor *g1 = must(ct_grad(cpu.w1), "grad"), *g2 = must(ct_grad(gpu.w1), "grad");
  must_status(ct_addcmul_(cpu.w1, g1, g1, -0.01), "addcmul_");
  must_status(ct_addcmul_(gpu.w1, g2, g2, -0.01), "addcmul_ on CUDA");
  ct_no_grad_end(guard);
  compare("updated conv weight", cpu.w1, gpu.w1, tolerance);

  // Seeded random tensors made on the device (the shim's seeded generator is a CPU one).
  const int64_t rs[1] = {4};
  ct_tensor *seeded = ct_randn(rs, 1, 7, 1, CHECK_DEVICE);
  printf("%s seeded randn on the device%s%s\n", seeded ? "ok  " : "note", seeded ? "" : ": ", seeded ? "" : ct_last_error());
  ct_tensor_free(seeded);

  // A checkpoint written from CUDA tensors holds CPU tensors with the same values.
  char path[512];
  snprintf(path, sizeof path, "%s/cuda-check.pt", folder);
  const char *entries[2] = {"descriptors", "running_mean"};
  const ct_tensor *saved[2] = {gpu.descriptors, gpu.mean};
  must_status(ct_save(path, entries, saved, 2), "save");
  ct_archive *archive = ct_load(path);
  if (archive == NULL || ct_archive_count(archive) != 2) {
    printf("FAIL checkpoint read back: %s\n", archive ? "wrong count" : ct_last_error());
    failures++;
  } else {
    for (int i = 0; i < 2; i++) {
      ct_tensor *back = must(ct_archive_tensor(archive, i), "archive tensor");
      const int index = strcmp(ct_archive_name(archive, i), "descriptors") == 0 ? 0 : 1;
      ct_tensor *moved = must(ct_to(back, CT_FLOAT32, CHECK_DEVICE), "to the device");
      char label[64];
      snprintf(label, sizeof label, "checkpoint %s", entries[index]);
      printf("%s %-28s read back on the %s\n", ct_device(back) == CT_CPU ? "ok  " : "FAIL", label, ct_device(back) == CT_CPU ? "CPU" : "GPU");
      if (ct_device(back) != CT_CPU) failures++;
      compare(label, saved[index], moved, 0);
      ct_tensor_free(back);
      ct_tensor_free(moved);
    }
    ct_archive_free(archive);
  }
  printf("%s\n", failures == 0 ? "CUDA and CPU agree" : "CUDA and CPU disagree");
  return failures == 0 ? 0 : 1;
}
