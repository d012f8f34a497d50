#!/bin/sh
# Installs the toolchain that builds the C Wasm guest modules (Debian 12),
# then `make wasm-check` can run. Idempotent: apt-get skips what is installed.
#   clang, lld                 compiler and wasm-ld (clang 14)
#   wasi-libc                  libc headers and libraries for wasm32-wasi
#   libclang-rt-14-dev-wasm32  compiler-rt builtins for wasm32
#   wabt                       wasm-objdump / wasm-validate for inspecting outputs
set -eu

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive

$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
    clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt make

clang --version | head -n 1
