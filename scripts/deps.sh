#!/usr/bin/env bash
# Installs the Debian packages Osprey builds against, only when one is missing (idempotent).
set -euo pipefail
# libmujoco-dev: physics (Simulation); libosmesa6-dev: offscreen CPU rendering (Simulation);
# libpng-dev: PNG images (Imaging); libtorch-dev: neural networks (Torch, CTorch; CPU libtorch 1.13,
# ~800 MB with its dependencies, linked only by osprey-learn and the Torch tests).
PACKAGES="libopenblas-dev liblapacke-dev libsuitesparse-dev pkg-config libmujoco-dev libosmesa6-dev libpng-dev libtorch-dev"
missing=()
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
