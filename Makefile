# awskit: make test runs everything CI runs; see README.md.
GO       ?= go
FUZZTIME ?= 10s
BENCHTIME ?= 1s
COUNT    ?= 1

.PHONY: test vet unit interop bench fuzz tour fmt-check compat

test: vet unit interop

vet:
	$(GO) vet ./...

unit:
	$(GO) test -race -count=1 ./...

# The nested interop module holds the heavy test peers; it is tested once it exists.
interop:
	@if [ -f interop/go.mod ]; then \
		cd interop && $(GO) vet ./... && $(GO) test -race -count=1 ./...; \
	else echo "interop: no interop module yet"; fi

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
