# awskit: make test runs the whole suite; .ci/run adds formatting, lint, tidiness,
# short fuzzing and the Go 1.24 run. See README.md.
GO        ?= go
FUZZTIME  ?= 10s
BENCHTIME ?= 1s
COUNT     ?= 1
BIN       := $(CURDIR)/.bin
# Tools pinned by version, installed through the Go module proxy into .bin/.
STATICCHECK_VERSION := v0.8.2
GREMLINS_VERSION    := v0.6.0
STATICCHECK_CHECKS  := inherit,ST1000,ST1016,ST1020,ST1021,ST1022
# The oldest Go that go.mod declares, fetched as a toolchain module.
COMPAT_GO := go1.24.0

.PHONY: test deps vet scripts unit unit386 heavy interop bench fuzz tour fmt-check tidy-check lint compat mutate ci

test: deps vet scripts unit unit386 heavy interop

# Test peers from Debian's packages: botocore (the independent SigV4 signer
# sigv4temp is compared with), run with /usr/bin/python3. Installed when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
deps:
	@if ! /usr/bin/python3 -c 'import botocore.auth' 2>/dev/null; then \
		echo "installing python3-botocore"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-botocore; \
	fi

vet:
	$(GO) vet ./...

# The make mutate script's verdicts, against a stand-in for gremlins.
scripts:
	sh scripts/mutate_test.sh

unit:
	$(GO) test -race -count=1 ./...

# The same tests on a 32-bit platform (no race detector there): int overflow
# and 64-bit alignment. -short skips only the long streaming runs, which
# `heavy` runs natively at full size.
unit386:
	GOARCH=386 $(GO) test -short -count=1 ./...

# Tests whose full size is too slow under -race: run once natively.
heavy:
	$(GO) test -count=1 -run 'TestStreamMemoryBounded' ./envelope/

# The nested interop module holds the heavy test peers: gofakes3, local-kms
# (Go modules), and JavaScript peers (npm ci from each committed lock file).
interop:
	@set -e; for d in $$(ls -d interop/*/ 2>/dev/null); do \
		if [ -f "$$d/package-lock.json" ]; then \
			echo "npm ci in $$d"; (cd "$$d" && npm ci --no-audit --no-fund --loglevel=error); \
		fi; \
	done
	cd interop && $(GO) vet ./... && $(GO) test -race -count=1 ./...

# Benchmarks with allocations; COUNT=6 gives input for benchstat.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(COUNT) ./...
	cd interop && $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(COUNT) ./...

# Every fuzz target of every package for FUZZTIME each (CI: FUZZTIME=3s).
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
		for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$t"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

tour:
	$(GO) run ./examples/tour

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# go.mod and go.sum of both modules must be exactly what `go mod tidy` writes.
tidy-check:
	$(GO) mod tidy -diff
	cd interop && $(GO) mod tidy -diff

$(BIN)/staticcheck-$(STATICCHECK_VERSION):
	mkdir -p $(BIN)
	GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	touch $@

lint: $(BIN)/staticcheck-$(STATICCHECK_VERSION)
	$(BIN)/staticcheck -checks $(STATICCHECK_CHECKS) ./...
	cd interop && $(BIN)/staticcheck -checks $(STATICCHECK_CHECKS) ./...

# Build, vet and test with the oldest Go that go.mod declares: catches use of
# newer APIs and behaviour that differs on 1.24.
compat:
	GOTOOLCHAIN=$(COMPAT_GO) $(GO) vet ./...
	GOTOOLCHAIN=$(COMPAT_GO) $(GO) test -short -count=1 ./...

$(BIN)/gremlins-$(GREMLINS_VERSION):
	mkdir -p $(BIN)
	GOBIN=$(BIN) $(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION)
	touch $@

# Mutation testing of every library package (or PKGS="./envelope ./arn"):
# scripts/mutate.sh runs gremlins on a snapshot of the working tree, one
# package at a time, writes .bin/mutate/<pkg>.log and .json, prints each
# package's test efficacy and fails when one misses its target (90% envelope
# and sigv4temp, 85% the others). Slow: about 2,800 mutants, 1.5 to 2 hours
# on 2 cores (MUTATION.md has the figures). AWSKIT_TESTDATA points the tests
# at the shared vectors (they run in a copy under /tmp); the `mutation` build
# tag and AWSKIT_QUICK=1 shrink the few long-running tests (MUTATION.md says
# which). MUTATE_WORKERS=1 leaves a core free. MUTATE_DIFF=origin/main
# instead mutates only the lines changed since that ref, over the whole
# module, and prints the mutants that lived (minutes; report only).
PKGS ?= ./arn ./backoff ./capacity ./envelope ./s3keys ./sigv4temp ./weighting
mutate: $(BIN)/gremlins-$(GREMLINS_VERSION)
	AWSKIT_TESTDATA=$(abspath $(CURDIR)/../shared/testdata) \
		scripts/mutate.sh $(abspath $(BIN)/gremlins) $(BIN)/mutate $(PKGS)

# Everything CI runs, in order (see .ci/run).
ci: fmt-check tidy-check lint test
	$(GO) run ./examples/tour > /dev/null
	$(MAKE) fuzz FUZZTIME=3s
	$(MAKE) compat
