# Shared build settings for the C guest modules (included by
# example-plugin/Makefile, mock-host/Makefile, simulations/guest/Makefile).
#
# Reproducibility: the output must be identical byte for byte on every
# machine with the same toolchain (Debian 12: clang 14, wasi-libc), so that
# `make wasm-check` can compare a fresh build with the committed dist files.
#  - -Wl,--strip-all drops the name, producers and debug sections;
#  - -ffile-prefix-map/-fdebug-prefix-map map the checkout path away in case
#    any path (e.g. __FILE__) were ever embedded;
#  - sources are named by relative paths, inputs are listed in a fixed order.

GUEST_LIB := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
REPO_ROOT := $(abspath $(GUEST_LIB)/..)

WASM_CC ?= clang
WASM_CFLAGS := --target=wasm32-wasi -O2 -mexec-model=reactor -std=c11 \
	-Wall -Wextra -Werror -I$(GUEST_LIB) \
	-ffile-prefix-map=$(REPO_ROOT)=. -fdebug-prefix-map=$(REPO_ROOT)=.
WASM_LDFLAGS := -Wl,--strip-all

GUEST_LIB_SRCS := $(GUEST_LIB)/extism.c $(GUEST_LIB)/json.c
GUEST_LIB_HDRS := $(GUEST_LIB)/extism.h $(GUEST_LIB)/json.h $(GUEST_LIB)/common.mk

# $(call wasm_link,OUTPUT,SOURCES,EXTRA_FLAGS)
define wasm_link
	@mkdir -p $(dir $(1))
	$(WASM_CC) $(WASM_CFLAGS) $(3) -o $(1) $(2) $(WASM_LDFLAGS)
endef
