#!/bin/sh
# Installs the toolchains of `xtp-sim plugin init`'s C++ and AssemblyScript templates (Debian 12),
# which runner's TemplateModulesTest uses to build generated projects. Idempotent.
#   clang-19, lld-19                       clang++-19 and wasm-ld for wasm32-wasi
#   libc++-19-dev-wasm32, libc++abi-19-dev-wasm32, libclang-rt-19-dev-wasm32, wasi-libc
#                                          the C++ standard library and runtime for wasm32
#   nlohmann-json3-dev                     the header-only JSON library the C++ bindings use
#   nodejs, npm                            the AssemblyScript build; the generated project's
#                                          `npm install` fetches assemblyscript and
#                                          @extism/as-pdk (pinned) from the npm registry
set -eu

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive

$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
    clang-19 lld-19 libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 libclang-rt-19-dev-wasm32 wasi-libc \
    nlohmann-json3-dev make
command -v npm >/dev/null 2>&1 || $SUDO apt-get install -y --no-install-recommends nodejs npm

clang++-19 --version | head -n 1
npm --version
