# Wasm guest modules (C, clang --target=wasm32-wasi). Toolchain on Debian 12:
# .ci/install-wasm-toolchain.sh
#
#   make wasm        build all guest modules into their committed dist/ files
#   make wasm-check  rebuild everything into a temporary directory and compare
#                    byte for byte with the committed dist/ files (CI)
#   make wasm-test   native unit tests of the shared JSON code

WASM_ARTIFACTS := \
	example-plugin/dist/plugin.wasm \
	example-plugin/dist/exact-subject.wasm \
	example-plugin/dist/sender-bouncer.wasm \
	example-plugin/dist/broken/no-deliver.wasm \
	example-plugin/dist/broken/always-reply.wasm \
	example-plugin/dist/broken/hide-failure.wasm \
	mock-host/dist/host.wasm \
	simulations/dist/test.wasm \
	simulations/dist/contract.wasm \
	fuzz-targets/dist/utf8-trap.wasm \
	fuzz-targets/dist/long-body-loop.wasm \
	fuzz-targets/dist/header-table.wasm \
	fuzz-targets/dist/raw-reply.wasm \
	fuzz-targets/dist/bad-output.wasm \
	fuzz-targets/dist/nondeterministic.wasm \
	test-plugins/dist/accepted/vacation.wasm \
	test-plugins/dist/accepted/sender-bouncer.wasm \
	test-plugins/dist/accepted/pass-through.wasm \
	test-plugins/dist/accepted/dropper.wasm \
	test-plugins/dist/accepted/ignore-reply.wasm \
	test-plugins/dist/rejected/deliver-twice.wasm \
	test-plugins/dist/rejected/reply-twice.wasm \
	test-plugins/dist/rejected/hide-failure.wasm \
	test-plugins/dist/rejected/loop.wasm \
	test-plugins/dist/rejected/undeclared-import.wasm \
	test-plugins/dist/rejected/trap-on-empty-body.wasm

.PHONY: wasm wasm-check wasm-test

wasm:
	$(MAKE) -C example-plugin
	$(MAKE) -C mock-host
	$(MAKE) -C simulations/guest
	$(MAKE) -C fuzz-targets
	$(MAKE) -C test-plugins

wasm-check:
	@set -e; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) --no-print-directory -C example-plugin DIST="$$tmp/example-plugin/dist"; \
	$(MAKE) --no-print-directory -C mock-host DIST="$$tmp/mock-host/dist"; \
	$(MAKE) --no-print-directory -C simulations/guest DIST="$$tmp/simulations/dist"; \
	$(MAKE) --no-print-directory -C fuzz-targets DIST="$$tmp/fuzz-targets/dist"; \
	$(MAKE) --no-print-directory -C test-plugins DIST="$$tmp/test-plugins/dist"; \
	bad=0; \
	for f in $(WASM_ARTIFACTS); do \
		if [ ! -f "$$f" ]; then \
			echo "wasm-check: MISSING committed file $$f" >&2; bad=1; \
		elif cmp "$$f" "$$tmp/$$f"; then \
			echo "wasm-check: ok $$f"; \
		else \
			echo "wasm-check: DIFFERS $$f (rebuilt from source it is not the committed file)" >&2; bad=1; \
		fi; \
	done; \
	if [ $$bad -ne 0 ]; then \
		echo "wasm-check: FAILED: run 'make wasm' and commit the dist/ files (toolchain: $$(clang --version | head -n 1))" >&2; \
		exit 1; \
	fi; \
	echo "wasm-check: all $(words $(WASM_ARTIFACTS)) Wasm files match their sources"

wasm-test:
	$(MAKE) -C guest-lib test
