# awskit: make test runs everything CI runs; see README.md.
GO       ?= go
FUZZTIME ?= 10s
BENCHTIME ?= 1s
COUNT    ?= 1

.PHONY: test deps vet unit interop bench fuzz tour fmt-check compat

test: deps vet unit interop

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

unit:
	$(GO) test -race -count=1 ./...

# The nested interop module holds the heavy test peers: gofakes3, local-kms
# (Go modules), and the JavaScript AWS Encryption SDK (npm ci from the lock file).
interop:
	cd interop/js && npm ci --no-audit --no-fund --loglevel=error
	cd interop/sigv4js && npm ci --no-audit --no-fund --loglevel=error
	cd interop && $(GO) vet ./... && $(GO) test -race -count=1 ./...

# Benchmarks with allocations; COUNT=6 gives input for benchstat.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(COUNT) ./...
	cd interop && $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(COUNT) ./...

# Every fuzz target of every package for FUZZTIME each.
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

# Build and vet with the oldest Go that go.mod declares (downloaded through the module proxy).
compat:
	GOTOOLCHAIN=go1.24.0 $(GO) vet ./...
