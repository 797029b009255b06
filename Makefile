# Tín Nhiệm. A new user needs two commands: `make run` and `make test`.
GO      ?= go
BIN     := bin/tinnhiem
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
export CGO_ENABLED := 0

.PHONY: run build test lint migrate docker frontend clean pg-start

## run: build everything, then serve on the embedded database (migrated, demo council seeded)
run: build
	@mkdir -p data
	$(BIN) serve --migrate --seed-demo

## build: the web frontend and the single static binary that embeds it
build: frontend
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/tinnhiem

## frontend: build the web UI into internal/web/dist when its sources changed
frontend:
	@if [ -f frontend/package.json ]; then scripts/build-frontend.sh; fi

## test: lint, then every test: Go (PostgreSQL mandatory under CI=true), then the web UI (unit tests
## and the end-to-end run in Chromium, also mandatory under CI=true)
test: lint build
	scripts/ensure-postgres.sh
	$(GO) test -count=1 ./...
	scripts/test-frontend.sh

## lint: formatting and vet
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## migrate: apply schema migrations to TINNHIEM_DATABASE_URL (default: the embedded database)
migrate: build
	$(BIN) migrate

## docker: build the container image
docker:
	docker build -t tinnhiem:$(VERSION) -t tinnhiem:latest .

## pg-start: start the machine's PostgreSQL cluster if it is down
pg-start:
	scripts/ensure-postgres.sh

clean:
	rm -rf bin
