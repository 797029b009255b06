# Tín Nhiệm. A new user needs two commands: `make run` and `make test`.
GO      ?= go
BIN     := bin/tinnhiem
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
export CGO_ENABLED := 0

.PHONY: run build test test-reliability bench lint migrate docker frontend clean pg-start

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
	FUZZTIME=5s scripts/fuzz.sh
	scripts/test-frontend.sh

## test-reliability: the long resilience runs: 40 kill -9 rounds per database, a PostgreSQL restart
## under load (restarts the local cluster), a vote of 1 000 casts carried across three server
## processes on one PostgreSQL with one killed mid-load, the races, and a minute of each fuzz target
test-reliability: build
	scripts/ensure-postgres.sh
	@mkdir -p test-artifacts
	TINNHIEM_CRASH_ROUNDS=40 TINNHIEM_REPLICA_CASTS=1000 TINNHIEM_RELIABILITY=1 $(GO) test -count=1 -v -timeout 30m \
		-run 'TestCrashRecovery|TestDatabaseRestart|TestReplicas' ./cmd/tinnhiem > test-artifacts/reliability.log 2>&1; \
		status=$$?; grep -E '^(=== RUN|--- |ok|FAIL|PASS)|crash recovery|database restart|replicas:' test-artifacts/reliability.log; exit $$status
	$(GO) test -count=1 -run 'FiftyClients|Racing|TwoConsoles|Certifications|OneBatch|GroupCommit|Shared' ./internal/store
	FUZZTIME=60s scripts/fuzz.sh

## bench: measured speed against the database's own commit rate: casting in closed and open loops,
## a hall's burst, encrypted casting against the CPU and database ceilings, a national day on 1 and 3
## server processes, the tally, the documents (figures to the terminal and bench-results/latest.json,
## CPU profiles of missed targets beside it; see docs/PERFORMANCE.md). About 15 minutes.
bench: build
	scripts/ensure-postgres.sh
	$(GO) run ./cmd/tinnhiem-bench -out bench-results/latest.json
	@echo "== the record verifier on a National Assembly-sized record (500 ballots x 50 subjects, board of 7)"
	$(GO) test -run '^$$' -bench BenchmarkVerifyNA -benchtime 3x ./internal/record

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
