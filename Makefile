GO   ?= go
SQLC  = CGO_ENABLED=0 $(GO) tool -modfile=tools/sqlc.mod sqlc -f internal/postgres/sqlc.yaml
ADDR ?= 127.0.0.1:8080

.PHONY: run test generate check-generated lint bench bench-pages vendor map

## run: migrate, seed when empty, and serve on $(ADDR) with a zero-config local database
run:
	@echo "Summit Ledger: starting on http://$(ADDR)/ (Ctrl-C to stop)"
	$(GO) build -o bin/ledger ./cmd/ledger
	./bin/ledger serve --migrate --seed --addr $(ADDR)

## test: check the datasets, then every test, against real PostgreSQL (and Chromium when installed)
test: | node_modules/axe-core
	$(GO) run ./cmd/ledger seed --check
	$(GO) test -race -count=1 ./...

# The browser tests inject axe-core from node_modules; install it on a fresh clone.
node_modules/axe-core:
	npm ci --no-audit --no-fund

## generate: regenerate templ and sqlc code
generate:
	$(GO) tool templ generate
	$(SQLC) generate

## check-generated: fail when generated code is stale
check-generated:
	$(GO) tool templ generate -check
	$(SQLC) diff

## lint: go vet and gofmt
lint:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## bench: requests/s and p50/p99, warm and cold, per page at 10,000 synthetic deals over loopback, beside nginx (docs/scaling.md)
bench:
	bash bench/bench.sh

## bench-pages: server time per page through the handler, no network (docs/scaling.md)
bench-pages:
	$(GO) test -run '^$$' -bench . -benchtime 200x -timeout 30m ./...

## vendor: copy htmx from node_modules (npm htmx.org, pinned in package.json) into the static files
vendor: | node_modules/axe-core
	cp node_modules/htmx.org/dist/htmx.min.js web/static/vendor/htmx.min.js
	cp node_modules/htmx.org/LICENSE web/static/vendor/htmx.LICENSE.txt

## map: regenerate web/mapdata.go from world-atlas (Natural Earth, public domain)
map: | node_modules/axe-core
	$(GO) generate ./web/...
