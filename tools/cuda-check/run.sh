#!/usr/bin/env bash
# Builds the CTorch shim (Sources/CTorch/ctorch.cpp) with tools/cuda-check/check.c against the
# libtorch of the PyTorch that `python3` imports (a CUDA build, e.g. a pip-installed torch), and
# runs it: the shim's CUDA path compared with its CPU path (docs/torch.md, "CUDA").
#
#   bash tools/cuda-check/run.sh [BUILD-FOLDER]      (default: /tmp/osprey-cuda-check)
#
# Exit status: the check's (0 agree, 1 disagree, 3 no CUDA device), 2 when there is no such PyTorch
# or the build fails. Not part of `make test`: Debian's libtorch, which Osprey builds with, has no CUDA.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-/tmp/osprey-cuda-check}
mkdir -p "$BUILD"
read -r TORCH ABI VERSION < <(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__), int(torch.compiled_with_cxx11_abi()), torch.__version__)') \
  || { echo "tools/cuda-check/run.sh: python3 cannot import torch" >&2; exit 2; }
echo "PyTorch $VERSION at $TORCH (C++11 ABI $ABI)"
CXX=${CXX:-g++}
set -x
"$CXX" -std=c++17 -O1 -fPIC -D_GLIBCXX_USE_CXX11_ABI="$ABI" -ISources/CTorch/include \
  -I"$TORCH/include" -I"$TORCH/include/torch/csrc/api/include" -c Sources/CTorch/ctorch.cpp -o "$BUILD/ctorch.o" || exit 2
cc -O1 -ISources/CTorch/include -c tools/cuda-check/check.c -o "$BUILD/check.o" || exit 2
"$CXX" "$BUILD/check.o" "$BUILD/ctorch.o" -o "$BUILD/cuda-check" -L"$TORCH/lib" -Wl,-rpath,"$TORCH/lib" -Wl,--no-as-needed \
  -ltorch -ltorch_cuda -ltorch_cpu -lc10_cuda -lc10 -ldl || exit 2
set +x
"$BUILD/cuda-check" "$BUILD"
