# aimaq — `make run` serves the map on http://localhost:8080; `make test` runs every test.
GO           ?= go
BIN          := bin/aimaq
STATICCHECK  := honnef.co/go/tools/cmd/staticcheck@v0.8.2
UI_SOURCES   := $(wildcard web/ui/src/*) web/ui/build.mjs web/ui/package-lock.json
TEST_HOME    := $(CURDIR)/.aimaq-test
export AIMAQ_TEST_HOME := $(TEST_HOME)
export AIMAQ_DATA_DIR ?= $(abspath $(CURDIR)/../shared/data/kz)

.PHONY: run test build ui setup setup-run lint bench bench-tiles loadtest clean stop-test-db

## run: install what is missing, build, start the embedded PostGIS, import the data if the database is empty, serve :8080
run: setup-run build
	$(BIN) run

## test: install what is missing, build, lint, and run every test (unit, PostGIS, GDAL, Chromium) with -race
test: setup build lint
	@status=0; \
	(cd web/ui && npm run --silent test:unit) || status=$$?; \
	$(GO) test -race -count=1 -timeout 30m ./... || status=$$?; \
	$(BIN) db stop -home $(TEST_HOME) >/dev/null 2>&1 || true; \
	exit $$status

setup:
	scripts/setup test

setup-run:
	scripts/setup run

## ui: build the web front end into web/ui/dist (embedded in the binary)
ui: web/ui/dist/index.html

web/ui/dist/index.html: $(UI_SOURCES)
	cd web/ui && npm run --silent build

build: ui
	$(GO) build -o $(BIN) ./cmd/aimaq

lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## bench: benchmarks of the hot paths (tiles, routing at 1M nodes vs pgRouting, whole compute, OSM import)
bench: build
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1x -timeout 60m ./...

## bench-tiles: cold (no cache) and warm tile req/s, p50, p99 and bytes per tile of every layer at z3–z12 on the real data (loopback, bounded)
bench-tiles:
	$(GO) test -run '^TestBenchTiles$$' -count=1 -v -timeout 30m ./cmd/aimaq -args -bench-tiles

## loadtest: bounded loopback load test of z3–z8 oblast and district tiles
loadtest: build
	$(GO) test -run TestLoad -count=1 -v ./cmd/aimaq -args -load

stop-test-db:
	$(BIN) db stop -home $(TEST_HOME)

clean:
	rm -rf bin web/ui/dist/*.* web/ui/dist/vendor
