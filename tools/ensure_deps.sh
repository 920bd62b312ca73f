#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build and test VocalSynthesis:
# a C++20 compiler (g++, and clang++), CMake, Ninja, GoogleTest and Google Benchmark (apt), and the Python package
# with its test extras (pip, which builds the C++ extension through scikit-build-core).
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(g++ cmake ninja-build libgtest-dev libbenchmark-dev chromium)
# Clang: Unreal Build Tool's compiler on Linux, Mac and the consoles (tools/run_tests.sh builds the
# core and tests with it too, with clang's stricter warnings as errors).
[ "${SKIP_CLANG:-0}" = 1 ] || apt_packages+=(clang)
# On x86-64, an ARM64 cross compiler and qemu prove the ARM64 build (tools/check_arm64.sh).
if [ "$(uname -m)" = x86_64 ] && [ "${SKIP_ARM64:-0}" != 1 ]; then
  apt_packages+=(g++-aarch64-linux-gnu qemu-user)
fi
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    echo "ensure_deps: apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "ensure_deps: please install: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# (Re)install the package so the tests always exercise the current C++ sources.
python3 -m pip install --quiet --disable-pip-version-check ".[test]"
