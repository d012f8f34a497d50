#!/bin/sh
# Builds the Rust guest modules and copies them into runner/src/test/resources/guests/.
# Needs Debian's toolchain: apt-get install -y rustc cargo libstd-rust-dev-wasm32
# (the cargo first on PATH may be another one without the wasm32 target).
# No crates are used, so the build runs offline.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dest="$here/../../resources/guests"
RUSTC=${RUSTC:-/usr/bin/rustc}
CARGO=${CARGO:-/usr/bin/cargo}
export RUSTC
mkdir -p "$dest"
build() {
    crate=$1 artifact=$2 out=$3
    # Reproducible: no debug info, no symbols, no absolute paths of this machine.
    (cd "$here/$crate" && \
        RUSTFLAGS="-C debuginfo=0 -C strip=symbols --remap-path-prefix=$here/$crate=. --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=cargo-home" \
        "$CARGO" build --offline --locked --release --target wasm32-unknown-unknown)
    cp "$here/$crate/target/wasm32-unknown-unknown/release/$artifact" "$dest/$out"
    chmod 644 "$dest/$out"
    echo "built $dest/$out"
}
build count-vowels count_vowels.wasm count_vowels.wasm
build xtp-test xtp_test.wasm xtp_test_rust.wasm
