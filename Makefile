# factdesk — the README's commands. `make test` is what CI runs.
GO ?= go
PKGS := ./...

.PHONY: test tidy-check fmt-check vet staticcheck unit perf fuzz build demo bench train

test: tidy-check fmt-check vet staticcheck unit perf

# go.mod and go.sum say exactly what the code imports: direct requirements
# unmarked, none missing or left over.
tidy-check:
	$(GO) mod tidy -diff

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

# staticcheck is a tool of the module (go.mod's tool directive).
staticcheck:
	$(GO) tool staticcheck $(PKGS)

# Every storage test runs on SQLite and on PostgreSQL (FACTDESK_TEST_POSTGRES,
# default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable).
unit:
	$(GO) test -race -count=1 -timeout 15m $(PKGS)

# Timing targets checked in a build without the race detector, which
# slows the server several times: a 5,000-sentence article ready for the
# keyboard in under 2 s in the browser; "factdesk bench --quick" on both
# databases (under -race it took minutes and measured nothing); and the
# machine reader's weights trained again to the byte (a minute).
perf:
	$(GO) test -count=1 -run 'TestBrowserLongArticle' ./routes/
	$(GO) test -count=1 -run 'TestBenchQuickJSON' ./cmd/factdesk/
	$(GO) test -count=1 -run 'TestTrainReproducesEmbeddedWeights' ./internal/train/

# The machine reader's embedded weights, trained from the public corpora
# in ../shared (PolNeAR's training articles, NewsSD-ENG's training
# sentences); fixed seeds, so the same corpora give the same bytes
# (make test checks it). About a minute on two cores.
SHARED ?= ../shared
train:
	$(GO) run ./internal/train -shared $(SHARED)

# Short fuzz runs of every fuzz target in the tree (found by their
# func Fuzz… lines), one after the other; corpus kept in testdata.
# Go 1.26's fuzzing coordinator can report "context deadline exceeded" when
# -fuzztime ends while a worker is mid-input (golang/go#75804, fixed in Go
# 1.27): a run that fails so, having written no failing input, runs again
# (twice at most). Any other failure, or a written input, fails at once.
FUZZTIME ?= 20s
fuzz:
	@set -e; log=$$(mktemp); trap 'rm -f $$log' EXIT; \
	for file in $$(grep -rl --include='*_test.go' '^func Fuzz' . | sort); do \
		dir=$$(dirname $$file); \
		for name in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$file | sed 's/^func //'); do \
			for try in 1 2 3; do \
				echo "== $$name ($$dir)"; \
				if $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$dir/ > $$log 2>&1; then cat $$log; break; fi; \
				cat $$log; \
				if [ $$try = 3 ] || ! grep -q 'context deadline exceeded' $$log || grep -q 'Failing input written' $$log; then exit 1; fi; \
				echo "== $$name: the fuzztime deadline race (golang/go#75804), no failing input; running it again"; \
			done; \
		done; \
	done

# The performance figures, each next to its floor (BENCH_DB=postgres://…
# for PostgreSQL; BENCH_FLAGS=--quick for the short run).
BENCH_DB ?=
BENCH_FLAGS ?=
bench:
	$(GO) run ./cmd/factdesk bench $(if $(BENCH_DB),--db $(BENCH_DB)) $(BENCH_FLAGS)

build:
	$(GO) build -o bin/factdesk ./cmd/factdesk

demo:
	$(GO) run ./cmd/factdesk demo
